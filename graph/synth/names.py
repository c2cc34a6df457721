"""Names of people and organizations, and how trials spell the same one differently.

Every respelling here is one the product's resolution must see through (case, accents,
punctuation, a company form such as ``Inc.`` or ``Co., Ltd.``, degrees and titles around a
person's name): a generated corpus has many spellings per real entity but one entity per key.
"""

from __future__ import annotations

import random
import unicodedata

# People, by the language a country's facilities are named in; "en" also stands for the
# countries the registry lists in English (Egypt, Turkey, Poland ...), hence its mix.
FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "David",
        "Elizabeth", "William", "Susan", "Richard", "Jessica", "Thomas", "Sarah", "Daniel", "Karen",
        "Matthew", "Nancy", "Christopher", "Lisa", "Andrew", "Emily", "Mark", "Laura", "Steven",
        "Rachel", "Paul", "Anne", "Ahmed", "Mohamed", "Mona", "Ayse", "Mehmet", "Priya", "Rahul",
        "Fatima", "Olga", "Ivan", "Piotr", "Agnieszka", "Noa", "Lars", "Ingrid", "Kevin", "Aisha",
    ),
    "fr": (
        "Jean", "Marie", "Pierre", "Sophie", "Philippe", "Isabelle", "Nicolas", "Catherine",
        "François", "Nathalie", "Olivier", "Valérie", "Laurent", "Claire", "Stéphane", "Anne",
        "Thierry", "Céline", "Julien", "Camille",
    ),
    "de": (
        "Thomas", "Andreas", "Michael", "Stefan", "Christian", "Markus", "Sabine", "Petra", "Claudia",
        "Julia", "Katrin", "Martin", "Jürgen", "Klaus", "Susanne", "Wolfgang", "Anja", "Frank",
        "Birgit", "Matthias",
    ),
    "es": (
        "José", "María", "Antonio", "Carmen", "Juan", "Ana", "Manuel", "Laura", "Francisco", "Isabel",
        "David", "Lucía", "Javier", "Marta", "Carlos", "Cristina", "Miguel", "Elena", "Pablo", "Sofía",
    ),
    "it": (
        "Marco", "Giuseppe", "Giovanni", "Francesca", "Alessandro", "Chiara", "Luca", "Paola", "Andrea",
        "Valentina", "Stefano", "Elena", "Roberto", "Silvia", "Matteo", "Federica", "Paolo", "Giulia",
    ),
    "zh": (
        "Wei", "Jing", "Li", "Min", "Jun", "Yan", "Hui", "Lei", "Xin", "Yang", "Hong", "Ping", "Ying",
        "Tao", "Qiang", "Fang", "Jie", "Lin", "Hao", "Xiaoming", "Yifan", "Junwei", "Xiaoli", "Zhiqiang",
    ),
    "ja": (
        "Hiroshi", "Takashi", "Yuki", "Kenji", "Naoko", "Akira", "Satoshi", "Yoko", "Kazuo", "Makoto",
        "Tomoko", "Masashi", "Keiko", "Ryo", "Atsushi",
    ),
    "ko": (
        "Min-jun", "Seo-yeon", "Ji-hoon", "Ji-woo", "Hyun-woo", "Soo-jin", "Jae-won", "Eun-ji",
        "Dong-hyun", "Young-ho", "Sung-min", "Hye-jin",
    ),
    "pt": (
        "João", "Maria", "Pedro", "Ana", "Lucas", "Juliana", "Rafael", "Fernanda", "Gustavo", "Camila",
        "Bruno", "Patrícia", "Rodrigo", "Mariana", "Felipe",
    ),
    "nl": ("Jan", "Pieter", "Anne", "Sanne", "Maarten", "Lieke", "Bas", "Eva", "Joost", "Marieke"),
}  # fmt: skip
# No surname is a degree or title word ("Ma", "Do"): the product would read it as one.
LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
        "Taylor", "Thomas", "Moore", "Martin", "Jackson", "Thompson", "White", "Harris", "Clark",
        "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill", "Green",
        "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips", "Campbell",
        "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook", "Rogers",
        "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard", "Ward", "Cox",
        "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "Hughes", "Price", "Sanders",
        "Patel", "Shah", "Kumar", "Singh", "Hassan", "Ibrahim", "Mahmoud", "Abdelrahman", "Youssef",
        "Khan", "Ahmadi", "Hosseini", "Yilmaz", "Kaya", "Demir", "Ivanov", "Petrov", "Kowalski",
        "Nowak", "Cohen", "Levi", "Novak", "Horvath", "Nagy", "Papadopoulos", "Jensen", "Nielsen",
        "Hansen", "Andersson", "Johansson", "Virtanen", "O'Brien", "O'Connor", "MacDonald",
    ),
    "fr": (
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
        "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
        "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert",
        "Bonnet", "François", "Martinez",
    ),
    "de": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz",
        "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
        "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Werner", "Krause",
        "Lehmann", "Köhler", "Huber",
    ),
    "es": (
        "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez",
        "Gómez", "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez",
        "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil",
        "Ramírez", "Serrano", "Blanco", "Molina",
    ),
    "it": (
        "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino",
        "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Costa", "Giordano", "Mancini", "Rizzo",
        "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi", "Caruso",
        "Ferrara", "Galli", "Martini", "Leone",
    ),
    "zh": (
        "Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Zhu",
        "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng",
        "Deng", "Cao", "Peng", "Zeng",
    ),
    "ja": (
        "Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
        "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Yamaguchi", "Matsumoto", "Inoue",
        "Kimura", "Hayashi", "Shimizu", "Mori",
    ),
    "ko": (
        "Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo",
        "Shin", "Kwon", "Hwang", "Ahn", "Song",
    ),
    "pt": (
        "Silva", "Santos", "Oliveira", "Souza", "Rodrigues", "Ferreira", "Alves", "Pereira", "Lima",
        "Gomes", "Costa", "Ribeiro", "Martins", "Carvalho", "Almeida", "Lopes", "Soares", "Fernandes",
        "Vieira", "Barbosa",
    ),
    "nl": (
        "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
        "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos",
    ),
}  # fmt: skip
DEGREES = (
    "",
    "",
    "",
    "MD",
    "MD",
    "MD",
    "MD, PhD",
    "MD, PhD",
    "PhD",
    "MD, MPH",
    "MBBS",
    "PharmD",
    "DO",
    "MSc",
)

# Companies: a made-up stem and what the company does; the form follows its country.
STEM_STARTS = (
    "Ab", "Acu", "Al", "Am", "Ar", "Ast", "Av", "Bel", "Bio", "Cal", "Cel", "Cor", "Cy", "Da", "El",
    "En", "Ev", "Gal", "Gen", "Hel", "Im", "In", "Ka", "Lu", "Mer", "Neo", "No", "Nu", "Ob", "Om",
    "Or", "Pan", "Pro", "Quan", "Re", "Sa", "Ser", "Syn", "Ta", "Ther", "Tri", "Ul", "Va", "Ver",
    "Vi", "Xen", "Zy", "Ze",
)  # fmt: skip
STEM_ENDS = (
    "gen", "vance", "tek", "lix", "ris", "xa", "mune", "cor", "nova", "thera", "vita", "pharm",
    "cept", "sys", "gene", "med", "lyte", "via", "tis", "ra", "on", "ex", "ia", "ica", "ent", "ara",
    "ome", "yx", "ium", "etics",
)  # fmt: skip
COMPANY_KINDS = (
    "Pharmaceuticals", "Therapeutics", "Biosciences", "Biotech", "Pharma", "Biologics", "Medical",
    "Oncology", "Biotherapeutics", "Health", "Life Sciences", "Laboratories", "Bio", "Sciences",
    "Diagnostics",
)  # fmt: skip
PINYIN = (
    "Heng", "Rui", "Kang", "Tai", "Xin", "Hua", "Bai", "Ji", "Sheng", "Yuan", "Tian", "Fu", "Long",
    "Hai", "Jia", "Qi", "Bo", "An", "Chuang", "De",
)  # fmt: skip
CHINESE_COMPANY_KINDS = ("Pharmaceutical", "Medicine", "Biotechnology", "Biological Products", "Biopharma")
# Company forms by style: the usual spelling first, then how trials also write it.
COMPANY_FORMS: dict[str, tuple[str, ...]] = {
    "us": ("Inc.", "Inc", "Incorporated", "LLC", "Corp.", "Corporation"),
    "uk": ("Ltd", "Limited", "Ltd.", "plc", "PLC"),
    "de": ("GmbH", "AG", "GMBH"),
    "fr": ("SAS", "S.A.S.", "SA", "S.A."),
    "it": ("S.p.A.", "SpA", "S.r.l.", "srl"),
    "es": ("S.A.", "S.L.", "SL", "SA"),
    "pt": ("Ltda", "Ltda.", "S.A."),
    "cn": ("Co., Ltd.", "Co.,Ltd", "Co. Ltd.", "Company Limited", "Ltd."),
    "tw": ("Co., Ltd.", "Corporation", "Inc."),
    "jp": ("Co., Ltd.", "Co.,Ltd.", "K.K.", "Inc."),
    "kr": ("Co., Ltd.", "Co.,Ltd", "Inc."),
    "nl": ("B.V.", "BV", "N.V."),
    "nordic": ("AB", "Oy", "ASA"),
    "en": ("Ltd", "Inc.", "Co."),
}


def canonical_organization(base: str, form: str) -> str:
    """An organization as it usually writes itself.

    >>> canonical_organization("Zentara Therapeutics", "Inc."), canonical_organization("Avgen", "GmbH")
    ('Zentara Therapeutics, Inc.', 'Avgen GmbH')
    """
    if not form:
        return base
    comma = form.startswith(("Inc", "LLC", "Ltd", "Corp", "S.", "Ltda"))
    return f"{base}, {form}" if comma else f"{base} {form}"


def respell_organization(base: str, form: str, style: str, rng: random.Random) -> str:
    """Another spelling of an organization, as a trial might write it.

    >>> rng = random.Random(4)
    >>> sorted({respell_organization("Acme Pharma", "Inc.", "us", rng) for _ in range(40)})[:5]
    ['ACME PHARMA', 'ACME PHARMA, INC.', 'Acme  Pharma, Inc.', 'Acme Pharma', 'Acme Pharma Inc']
    """
    canonical = canonical_organization(base, form)
    variant = rng.randrange(11)
    if variant == 0:
        return base
    if variant == 1:
        return canonical.upper()
    if variant == 2:
        return base.upper()
    if variant == 3:
        return canonical.lower()
    if variant == 4:
        return _without_accents(canonical)
    if variant == 5:
        return canonical_organization(_swap_punctuation(base), form)
    if variant == 6:
        return canonical.title()
    if variant == 7:
        return canonical[:-1] if canonical.endswith(".") else f"{canonical}."
    if variant == 8:
        return canonical.replace(" ", "  ", 1)  # a double space typed once
    if not form:
        return base
    if variant == 9:
        return f"{base} {' '.join(form.replace('.', '').replace(',', ' ').split())}"
    return canonical_organization(base, rng.choice(COMPANY_FORMS[style]))


def _without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _swap_punctuation(text: str) -> str:
    """``&`` for ``and``, ``St`` for ``St.``, a typographic apostrophe: one key, another spelling."""
    if " & " in text:
        return text.replace(" & ", " and ")
    if " and " in text:
        return text.replace(" and ", " & ")
    if "St. " in text:
        return text.replace("St. ", "St ")
    if "'" in text:
        return text.replace("'", "\N{RIGHT SINGLE QUOTATION MARK}")
    return text.replace("-", "\N{NON-BREAKING HYPHEN}") if "-" in text else text


def person_name(first: str, middle: str, last: str) -> str:
    """A person's name without degrees.

    >>> person_name("Jane", "A", "Roe"), person_name("Jane", "", "Roe")
    ('Jane A Roe', 'Jane Roe')
    """
    return f"{first} {middle} {last}" if middle else f"{first} {last}"


def respell_person(name: str, degrees: str, rng: random.Random) -> str:
    """A person's name as one mention writes it: with or without degrees, a title, in capitals.

    >>> rng = random.Random(2)
    >>> sorted({respell_person("Jane A Roe", "MD, PhD", rng) for _ in range(30)})[:4]
    ['Dr. Jane A Roe', 'JANE A ROE', 'Jane A Roe', 'Jane A Roe MD']
    """
    variant = rng.randrange(8)
    if variant <= 1:
        return f"{name}, {degrees}" if degrees else name
    if variant == 2:
        return name
    if variant == 3:
        return f"Dr. {name}"
    if variant == 4:
        return f"Prof. {name}" if degrees else name
    if variant == 5:
        return name.upper()
    if variant == 6:
        return f"{name} {degrees.split(',')[0]}" if degrees else name
    parts = name.split(" ")
    dotted = [f"{part}." if len(part) == 1 else part for part in parts]  # "Jane A. Roe"
    return " ".join(dotted) + (f", {degrees.replace('MD', 'M.D.')}" if degrees else "")
