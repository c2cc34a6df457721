"""Where sites are: countries as the registry names them, and their research cities with coordinates.

A country line gives its name, the language its facilities are named in, its weight among
site locations and among academic lead sponsors, its company-form style and its postcode
pattern (``9`` a digit, ``A`` a letter). A city line gives its name, the state or province
the registry lists (empty where it lists none), its latitude and longitude, and its weight
within the country.
"""

from __future__ import annotations

from dataclasses import dataclass

_PLACES = """
United States|en|30|30|us|99999
  Boston|Massachusetts|42.35843|-71.05977|8
  New York|New York|40.71427|-74.00597|10
  Houston|Texas|29.76328|-95.36327|8
  Philadelphia|Pennsylvania|39.95233|-75.16379|6
  Los Angeles|California|34.05223|-118.24368|6
  Chicago|Illinois|41.85003|-87.65005|6
  Baltimore|Maryland|39.29038|-76.61219|4
  Bethesda|Maryland|38.98067|-77.10026|3
  Rochester|Minnesota|44.02163|-92.4699|5
  Nashville|Tennessee|36.16589|-86.78444|4
  Seattle|Washington|47.60621|-122.33207|4
  San Francisco|California|37.77493|-122.41942|4
  Durham|North Carolina|35.99403|-78.89862|3
  Ann Arbor|Michigan|42.27756|-83.74088|3
  Pittsburgh|Pennsylvania|40.44062|-79.99589|4
  Atlanta|Georgia|33.749|-84.38798|4
  Cleveland|Ohio|41.4995|-81.69541|4
  Saint Louis|Missouri|38.62727|-90.19789|3
  Miami|Florida|25.77427|-80.19366|4
  Dallas|Texas|32.78306|-96.80667|4
  Aurora|Colorado|39.72943|-104.83192|2
  Salt Lake City|Utah|40.76078|-111.89105|2
  Portland|Oregon|45.52345|-122.67621|2
  San Diego|California|32.71571|-117.16472|3
  Phoenix|Arizona|33.44838|-112.07404|3
  Minneapolis|Minnesota|44.97997|-93.26384|2
  Columbus|Ohio|39.96118|-82.99879|3
  Birmingham|Alabama|33.52066|-86.80249|2
  New Haven|Connecticut|41.30815|-72.92816|2
  Stanford|California|37.42411|-122.16608|2
  Indianapolis|Indiana|39.76838|-86.15804|2
  Charlotte|North Carolina|35.22709|-80.84313|2
  Orlando|Florida|28.53834|-81.37924|2
  Tampa|Florida|27.94752|-82.45843|2
  Omaha|Nebraska|41.25626|-95.94043|1
  Richmond|Virginia|37.55376|-77.46026|2
  Honolulu|Hawaii|21.30694|-157.85833|1
  Anchorage|Alaska|61.21806|-149.90028|1
  Boise|Idaho|43.6135|-116.20345|1
  Las Vegas|Nevada|36.17497|-115.13722|1
France|fr|5.5|5|fr|99999
  Paris||48.85341|2.3488|10
  Lyon||45.74846|4.84671|4
  Marseille||43.29695|5.38107|3
  Toulouse||43.60426|1.44367|3
  Lille||50.63297|3.05858|3
  Bordeaux||44.84044|-0.5805|3
  Nantes||47.21725|-1.55336|2
  Montpellier||43.61092|3.87723|2
  Strasbourg||48.58392|7.74553|2
  Villejuif||48.7939|2.35992|2
  Rennes||48.11198|-1.67429|2
  Nice||43.70313|7.26608|1
China|zh|5.5|10|cn|999999
  Beijing|Beijing|39.9075|116.39723|8
  Shanghai|Shanghai|31.22222|121.45806|8
  Guangzhou|Guangdong|23.11667|113.25|5
  Chengdu|Sichuan|30.66667|104.06667|4
  Hangzhou|Zhejiang|30.29365|120.16142|4
  Wuhan|Hubei|30.58333|114.26667|4
  Nanjing|Jiangsu|32.06167|118.77778|3
  Changsha|Hunan|28.19874|112.97087|3
  Xi'an|Shaanxi|34.25833|108.92861|2
  Tianjin|Tianjin|39.14222|117.17667|2
  Shenyang|Liaoning|41.79222|123.43278|2
  Zhengzhou|Henan|34.75778|113.64861|2
  Chongqing|Chongqing|29.56278|106.55278|2
  Jinan|Shandong|36.66833|116.99722|2
  Shenzhen|Guangdong|22.54554|114.0683|2
  Harbin|Heilongjiang|45.75|126.65|2
  Suzhou|Jiangsu|31.30408|120.59538|1
  Fuzhou|Fujian|26.06139|119.30611|1
  Kunming|Yunnan|25.03889|102.71833|1
  Hefei|Anhui|31.86389|117.28083|1
Germany|de|4.5|3|de|99999
  Berlin||52.52437|13.41053|5
  München||48.13743|11.57549|4
  Hamburg||53.55073|9.99302|3
  Heidelberg||49.40768|8.69079|3
  Frankfurt||50.11552|8.68417|3
  Köln||50.93333|6.95|2
  Hannover||52.37052|9.73322|2
  Freiburg||47.9959|7.85222|2
  Dresden||51.05089|13.73832|2
  Essen||51.45657|7.01228|2
  Mainz||49.98419|8.2791|2
  Leipzig||51.33962|12.37129|2
  Tübingen||48.52266|9.05222|1
  Würzburg||49.79391|9.95121|1
Spain|es|4|3|es|99999
  Madrid||40.4165|-3.70256|6
  Barcelona||41.38879|2.15899|6
  Valencia||39.46975|-0.37739|3
  Sevilla||37.38283|-5.97317|2
  Pamplona||42.81687|-1.64323|1
  Málaga||36.72016|-4.42034|1
  Salamanca||40.96882|-5.66388|1
  Santander||43.46472|-3.80444|1
  A Coruña||43.37135|-8.396|1
  Bilbao||43.26271|-2.92528|1
Italy|it|4|3|it|99999
  Milano||45.46427|9.18951|6
  Roma||41.89193|12.51133|5
  Napoli||40.85216|14.26811|3
  Bologna||44.49381|11.33875|3
  Torino||45.07049|7.68682|3
  Firenze||43.77925|11.24626|2
  Padova||45.40797|11.88586|2
  Genova||44.40478|8.94439|2
  Pisa||43.70853|10.4036|1
  Verona||45.43419|10.99779|1
  Bergamo||45.69601|9.66721|1
  Rozzano||45.38193|9.1559|1
Canada|en|3.5|3|us|A9A 9A9
  Toronto|Ontario|43.70011|-79.4163|5
  Montreal|Quebec|45.50884|-73.58781|4
  Vancouver|British Columbia|49.24966|-123.11934|3
  Calgary|Alberta|51.05011|-114.08529|2
  Edmonton|Alberta|53.55014|-113.46871|2
  Ottawa|Ontario|45.41117|-75.69812|2
  Hamilton|Ontario|43.25011|-79.84963|2
  Winnipeg|Manitoba|49.8844|-97.14704|1
  Halifax|Nova Scotia|44.64533|-63.57239|1
  Québec|Quebec|46.81228|-71.21454|1
United Kingdom|en|3.5|3|uk|AA9 9AA
  London||51.50853|-0.12574|8
  Manchester||53.48095|-2.23743|3
  Birmingham||52.48142|-1.89983|3
  Oxford||51.75222|-1.25596|2
  Cambridge||52.2|0.11667|2
  Glasgow||55.86515|-4.25763|2
  Leeds||53.79648|-1.54785|2
  Edinburgh||55.95206|-3.19648|2
  Newcastle upon Tyne||54.97328|-1.61396|1
  Sheffield||53.38297|-1.4659|1
  Southampton||50.90395|-1.40428|1
  Bristol||51.45523|-2.59665|1
  Cardiff||51.48|-3.18|1
  Nottingham||52.9536|-1.15047|1
  Liverpool||53.41058|-2.97794|1
Japan|ja|2.5|1|jp|999-9999
  Tokyo|Tokyo|35.6895|139.69171|6
  Osaka|Osaka|34.69374|135.50218|3
  Nagoya|Aichi|35.18147|136.90641|2
  Fukuoka|Fukuoka|33.60639|130.41806|2
  Sapporo|Hokkaido|43.06667|141.35|1
  Kobe|Hyogo|34.6913|135.183|1
  Yokohama|Kanagawa|35.44778|139.6425|1
  Kyoto|Kyoto|35.02107|135.75385|1
  Sendai|Miyagi|38.26667|140.86667|1
  Kashiwa|Chiba|35.85444|139.96889|1
Korea, Republic of|ko|2.5|3|kr|99999
  Seoul||37.566|126.9784|8
  Seongnam||37.43861|127.13778|2
  Busan||35.10278|129.04028|1
  Goyang||37.65639|126.835|1
  Daegu||35.87028|128.59111|1
  Incheon||37.45646|126.70515|1
  Gwangju||35.15472|126.91556|1
  Suwon||37.29111|127.00889|1
Egypt|en|2.5|5|en|
  Cairo||30.06263|31.24967|5
  Assiut||27.18096|31.18368|4
  Alexandria||31.20176|29.91582|2
  Mansoura||31.03637|31.38069|2
  Tanta||30.78847|31.00192|2
  Zagazig||30.58768|31.502|1
  Sohag||26.55695|31.69478|1
  Minya||28.10988|30.7503|1
  Beni Suef||29.07441|31.09785|1
  Giza||30.00808|31.21093|1
Belgium|fr|1.8|1|fr|9999
  Brussels||50.85045|4.34878|3
  Leuven||50.87959|4.70093|3
  Gent||51.05|3.71667|2
  Edegem||51.15662|4.44504|2
  Liège||50.63373|5.56749|1
  Charleroi||50.41136|4.44448|1
Netherlands|nl|1.8|1.5|nl|9999 AA
  Amsterdam||52.37403|4.88969|3
  Rotterdam||51.9225|4.47917|3
  Utrecht||52.09083|5.12222|2
  Leiden||52.15833|4.49306|2
  Groningen||53.21917|6.56667|2
  Nijmegen||51.8425|5.85278|2
  Maastricht||50.84833|5.68889|1
  Eindhoven||51.44083|5.47778|1
Poland|en|1.8|0.5|pl|99-999
  Warszawa||52.22977|21.01178|3
  Kraków||50.06143|19.93658|2
  Łódź||51.75|19.46667|2
  Wrocław||51.1|17.03333|2
  Gdańsk||54.35205|18.64637|1
  Poznań||52.40692|16.92993|1
  Lublin||51.25|22.56667|1
  Katowice||50.25841|19.02754|1
  Bydgoszcz||53.1235|18.00762|1
Australia|en|1.8|1|uk|9999
  Melbourne|Victoria|-37.814|144.96332|4
  Sydney|New South Wales|-33.86785|151.20732|4
  Brisbane|Queensland|-27.46794|153.02809|2
  Perth|Western Australia|-31.95224|115.8614|2
  Adelaide|South Australia|-34.92866|138.59863|2
  Westmead|New South Wales|-33.80383|150.98768|1
  Heidelberg|Victoria|-37.75|145.06667|1
  Hobart|Tasmania|-42.87936|147.32941|1
Turkey|en|1.5|3|en|99999
  Istanbul||41.01384|28.94966|4
  Ankara||39.91987|32.85427|3
  Izmir||38.41273|27.13838|2
  Bursa||40.19559|29.06013|1
  Konya||37.87135|32.48464|1
  Antalya||36.90812|30.69556|1
  Adana||36.98615|35.32531|1
Brazil|pt|1.3|1.2|br|99999-999
  São Paulo|São Paulo|-23.5475|-46.63611|5
  Rio de Janeiro|Rio de Janeiro|-22.90642|-43.18223|2
  Porto Alegre|Rio Grande do Sul|-30.03306|-51.23|2
  Belo Horizonte|Minas Gerais|-19.92083|-43.93778|1
  Curitiba|Paraná|-25.42778|-49.27306|1
  Campinas|São Paulo|-22.90556|-47.06083|1
  Ribeirão Preto|São Paulo|-21.1775|-47.81028|1
  Salvador|Bahia|-12.97111|-38.51083|1
  Barretos|São Paulo|-20.55722|-48.56778|1
Russian Federation|en|1.1|0.5|en|999999
  Moscow||55.75222|37.61556|4
  Saint Petersburg||59.93863|30.31413|3
  Novosibirsk||55.0415|82.9346|1
  Kazan||55.78874|49.12214|1
  Yaroslavl||57.62987|39.87368|1
  Tomsk||56.49771|84.97437|1
Taiwan|zh|1.1|1.5|tw|999
  Taipei||25.04776|121.53185|4
  Taichung||24.1469|120.6839|2
  Kaohsiung||22.61626|120.31333|2
  Tainan||22.99083|120.21333|1
  Taoyuan||24.99368|121.29696|1
Israel|en|1|1.5|en|9999999
  Tel Aviv||32.08088|34.78057|2
  Jerusalem||31.76904|35.21633|2
  Haifa||32.81841|34.9885|2
  Petah Tikva||32.08707|34.88747|2
  Ramat Gan||32.08227|34.81065|1
  Beer Sheva||31.25181|34.7913|1
Denmark|en|1|2|nordic|9999
  Copenhagen||55.67594|12.56553|3
  Aarhus||56.15674|10.21076|2
  Odense||55.39594|10.38831|1
  Aalborg||57.048|9.9187|1
  Herlev||55.72366|12.43998|1
Sweden|en|0.9|1|nordic|999 99
  Stockholm||59.32938|18.06871|3
  Göteborg||57.70716|11.96679|2
  Uppsala||59.85882|17.63889|1
  Lund||55.70584|13.19321|1
  Malmö||55.60587|13.00073|1
  Linköping||58.41086|15.62157|1
  Umeå||63.82842|20.25972|1
Czechia|en|0.8|0.4|en|999 99
  Praha||50.08804|14.42076|3
  Brno||49.19522|16.60796|1
  Olomouc||49.59552|17.25175|1
  Hradec Králové||50.20923|15.83277|1
  Ostrava||49.83465|18.28204|1
Hungary|en|0.8|0.3|en|9999
  Budapest||47.49801|19.03991|3
  Debrecen||47.53333|21.63333|1
  Szeged||46.253|20.14824|1
  Pécs||46.0725|18.23083|1
Austria|de|0.8|0.8|de|9999
  Wien||48.20849|16.37208|3
  Graz||47.06667|15.45|1
  Innsbruck||47.26266|11.39454|1
  Salzburg||47.79941|13.04399|1
  Linz||48.30639|14.28611|1
Switzerland|de|0.8|1|de|9999
  Zürich||47.36667|8.55|2
  Basel||47.55839|7.57327|1
  Bern||46.94809|7.44744|1
  Genève||46.20222|6.14569|1
  Lausanne||46.516|6.63282|1
  St. Gallen||47.42391|9.37477|1
Mexico|es|0.8|1|es|99999
  Ciudad de México|Distrito Federal|19.42847|-99.12766|3
  Guadalajara|Jalisco|20.66682|-103.39182|1
  Monterrey|Nuevo León|25.67507|-100.31847|1
  Puebla|Puebla|19.03793|-98.20346|1
  Mérida|Yucatán|20.97537|-89.61696|1
Argentina|es|0.7|0.5|es|A9999AAA
  Buenos Aires|Buenos Aires|-34.61315|-58.37723|3
  Córdoba|Córdoba|-31.4135|-64.18105|1
  Rosario|Santa Fe|-32.94682|-60.63932|1
  Mendoza|Mendoza|-32.89084|-68.82717|1
  La Plata|Buenos Aires|-34.92145|-57.95453|1
India|en|0.8|0.8|en|999999
  New Delhi|Delhi|28.63576|77.22445|2
  Mumbai|Maharashtra|19.07283|72.88261|2
  Bangalore|Karnataka|12.97194|77.59369|1
  Chennai|Tamil Nadu|13.08784|80.27847|1
  Hyderabad|Telangana|17.38405|78.45636|1
  Pune|Maharashtra|18.51957|73.85535|1
  Chandigarh|Chandigarh|30.73629|76.7884|1
  Vellore|Tamil Nadu|12.9184|79.13255|1
  Lucknow|Uttar Pradesh|26.83928|80.92313|1
Greece|en|0.5|0.5|en|999 99
  Athens||37.98376|23.72784|2
  Thessaloniki||40.64361|22.93086|1
  Heraklion||35.32787|25.14341|1
  Patras||38.24444|21.73444|1
  Larissa||39.63689|22.41761|1
  Ioannina||39.66486|20.85189|1
Norway|en|0.5|1|nordic|9999
  Oslo||59.91273|10.74609|2
  Bergen||60.39299|5.32415|1
  Trondheim||63.43049|10.39506|1
  Tromsø||69.6489|18.95508|1
  Stavanger||58.97005|5.73332|1
Finland|en|0.4|0.5|nordic|99999
  Helsinki||60.16952|24.93545|2
  Tampere||61.49911|23.78712|1
  Turku||60.45148|22.26869|1
  Oulu||65.01236|25.46816|1
  Kuopio||62.89238|27.67703|1
Ireland|en|0.3|0.5|uk|
  Dublin||53.33306|-6.24889|2
  Cork||51.89797|-8.47061|1
  Galway||53.27245|-9.05095|1
Portugal|pt|0.4|0.4|pt|9999-999
  Lisboa||38.71667|-9.13333|2
  Porto||41.14961|-8.61099|2
  Coimbra||40.20564|-8.41955|1
  Braga||41.55032|-8.42005|1
Romania|en|0.4|0.2|en|999999
  Bucuresti||44.43225|26.10626|2
  Cluj-Napoca||46.76667|23.6|1
  Iasi||47.16667|27.6|1
  Timisoara||45.75372|21.22571|1
  Craiova||44.31667|23.8|1
South Africa|en|0.5|0.4|uk|9999
  Johannesburg|Gauteng|-26.20227|28.04363|2
  Cape Town|Western Cape|-33.92584|18.42322|2
  Durban|KwaZulu-Natal|-29.8579|31.0292|1
  Pretoria|Gauteng|-25.74486|28.18783|1
  Soweto|Gauteng|-26.26781|27.85849|1
Chile|es|0.3|0.3|es|9999999
  Santiago|Región Metropolitana|-33.45694|-70.64827|2
  Temuco||-38.73965|-72.59842|1
  Viña del Mar||-33.02457|-71.55183|1
  Concepción||-36.82699|-73.04977|1
Colombia|es|0.3|0.3|es|999999
  Bogota||4.60971|-74.08175|2
  Medellín||6.25184|-75.56359|1
  Cali||3.43722|-76.5225|1
  Barranquilla||10.96854|-74.78132|1
  Bucaramanga||7.12539|-73.1198|1
Thailand|en|0.3|0.6|en|99999
  Bangkok||13.75398|100.50144|3
  Chiang Mai||18.79038|98.98468|1
  Khon Kaen||16.44671|102.833|1
  Songkhla||7.19882|100.5951|1
Singapore|en|0.3|0.5|uk|999999
  Singapore||1.28967|103.85007|2
Hong Kong|en|0.4|0.8|cn|
  Hong Kong||22.27832|114.17469|2
  Shatin||22.38333|114.18333|1
New Zealand|en|0.3|0.3|uk|9999
  Auckland||-36.84853|174.76349|2
  Christchurch||-43.53333|172.63333|1
  Wellington||-41.28664|174.77557|1
  Hamilton||-37.78333|175.28333|1
Iran, Islamic Republic of|en|0.6|2|en|
  Tehran||35.69439|51.42151|3
  Mashhad||36.29807|59.60567|1
  Shiraz||29.60357|52.53881|1
  Isfahan||32.65246|51.67462|1
  Tabriz||38.08|46.2919|1
Pakistan|en|0.5|2|en|99999
  Karachi|Sindh|24.8608|67.0104|2
  Lahore|Punjab|31.558|74.35071|2
  Islamabad||33.72148|73.04329|1
  Rawalpindi|Punjab|33.59733|73.0479|1
  Peshawar||34.008|71.57849|1
Saudi Arabia|en|0.3|0.6|en|99999
  Riyadh||24.68773|46.72185|2
  Jeddah||21.54238|39.19797|1
  Dammam||26.43442|50.10326|1
Ukraine|en|0.4|0.2|en|99999
  Kyiv||50.45466|30.5238|2
  Kharkiv||49.98081|36.25272|1
  Lviv||49.83826|24.02324|1
  Dnipro||48.4593|35.03865|1
  Odesa||46.47747|30.73262|1
  Vinnytsia||49.23278|28.48097|1
Bulgaria|en|0.3|0.2|en|9999
  Sofia||42.69751|23.32415|2
  Plovdiv||42.15|24.75|1
  Varna||43.21667|27.91667|1
  Pleven||43.41667|24.61667|1
"""


@dataclass(frozen=True, slots=True)
class City:
    name: str
    state: str  # empty where the registry lists none
    latitude: float
    longitude: float
    weight: float


@dataclass(frozen=True, slots=True)
class Country:
    name: str
    language: str
    site_weight: float
    sponsor_weight: float
    company_style: str
    postcode: str  # "9" a digit, "A" a letter; empty where sites list none
    cities: tuple[City, ...]


def _parse(text: str) -> tuple[Country, ...]:
    """The countries of a table like the one above.

    >>> [country.name for country in COUNTRIES[:3]]
    ['United States', 'France', 'China']
    >>> boston = COUNTRIES[0].cities[0]
    >>> boston.name, boston.state, boston.latitude
    ('Boston', 'Massachusetts', 42.35843)
    """
    found: list[Country] = []
    header: list[str] = []
    cities: list[City] = []
    for line in (*text.strip().splitlines(), ""):
        if line.startswith("  "):
            name, state, latitude, longitude, weight = line.strip().split("|")
            cities.append(City(name, state, float(latitude), float(longitude), float(weight)))
            continue
        if header:
            name, language, sites, sponsors, style, postcode = header
            found.append(
                Country(name, language, float(sites), float(sponsors), style, postcode, tuple(cities))
            )
        header, cities = line.split("|"), []
    return tuple(found)


COUNTRIES = _parse(_PLACES)
