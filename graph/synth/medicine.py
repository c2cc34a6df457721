"""What trials study and test: conditions, interventions, eligibility items and outcome measures.

The most frequent conditions and interventions are real names in about the registry's order
of frequency; the long tails are made up from stems (``Recurrent``, ``-tinib``, ``AB-1234``).
Criteria items are written as the registry stores them, markdown escapes (``\\>=``) included.
"""

from __future__ import annotations

# "name|sex": the sex a condition restricts eligibility to, if any. The first is the most common.
_CONDITIONS = """
Breast Cancer|FEMALE
Healthy
Obesity
COVID-19
Prostate Cancer|MALE
Hypertension
Type 2 Diabetes
Depression
HIV Infections
Asthma
Stroke
Non-small Cell Lung Cancer
Colorectal Cancer
Heart Failure
Schizophrenia
Pain
Alzheimer Disease
Parkinson Disease
Rheumatoid Arthritis
Chronic Obstructive Pulmonary Disease
Coronary Artery Disease
Multiple Myeloma
Anxiety
Hepatocellular Carcinoma
Atrial Fibrillation
Chronic Kidney Disease
Hepatitis C
Osteoarthritis, Knee
Acute Myeloid Leukemia
Ovarian Cancer|FEMALE
Pancreatic Cancer
Melanoma
Psoriasis
Atopic Dermatitis
Multiple Sclerosis
Crohn Disease
Ulcerative Colitis
Migraine
Epilepsy
Insomnia
Type 1 Diabetes
Gastric Cancer
Lymphoma
Diffuse Large B-Cell Lymphoma
Chronic Lymphocytic Leukemia
Acute Lymphoblastic Leukemia
Cervical Cancer|FEMALE
Endometrial Cancer|FEMALE
Bladder Cancer
Renal Cell Carcinoma
Head and Neck Squamous Cell Carcinoma
Glioblastoma
Autism Spectrum Disorder
Bipolar Disorder
Alcohol Use Disorder
Opioid Use Disorder
Smoking Cessation
Sepsis
Influenza
Pneumonia
Tuberculosis
Malaria
Hepatitis B
Cystic Fibrosis
Sickle Cell Disease
Hemophilia A|MALE
Osteoporosis
Chronic Low Back Pain
Fibromyalgia
Periodontitis
Dental Caries
Cataract
Glaucoma
Age-Related Macular Degeneration
Diabetic Macular Edema
Dry Eye Disease
Polycystic Ovary Syndrome|FEMALE
Infertility
Pregnancy|FEMALE
Preeclampsia|FEMALE
Preterm Birth|FEMALE
Postpartum Hemorrhage|FEMALE
Endometriosis|FEMALE
Erectile Dysfunction|MALE
Benign Prostatic Hyperplasia|MALE
Overactive Bladder
Nonalcoholic Steatohepatitis
Cirrhosis
Gastroesophageal Reflux Disease
Irritable Bowel Syndrome
Acute Kidney Injury
Myocardial Infarction
Peripheral Arterial Disease
Pulmonary Arterial Hypertension
Idiopathic Pulmonary Fibrosis
Venous Thromboembolism
Anemia
Iron Deficiency Anemia
Vitamin D Deficiency
Malnutrition
Frailty
Delirium
Postoperative Pain
Anesthesia
Knee Arthroplasty
Hip Fracture
Spinal Cord Injuries
Traumatic Brain Injury
Amyotrophic Lateral Sclerosis
Huntington Disease
Duchenne Muscular Dystrophy|MALE
Spinal Muscular Atrophy
Systemic Lupus Erythematosus
Ankylosing Spondylitis
Psoriatic Arthritis
Gout
Hidradenitis Suppurativa
Acne Vulgaris
Chronic Urticaria
Allergic Rhinitis
Food Allergy
Post-traumatic Stress Disorder
Attention Deficit Hyperactivity Disorder
Major Depressive Disorder
Generalized Anxiety Disorder
Obsessive-Compulsive Disorder
Dementia
Mild Cognitive Impairment
Cancer
Solid Tumor
Neoplasms
Respiratory Syncytial Virus Infections
Human Papillomavirus Infection
Myelodysplastic Syndromes
Thyroid Cancer
Esophageal Cancer
Cholangiocarcinoma
Sarcoma
Neuroblastoma
Small Cell Lung Cancer
Mesothelioma
Hodgkin Lymphoma
Follicular Lymphoma
Mantle Cell Lymphoma
Chronic Myeloid Leukemia
Myelofibrosis
Graft-versus-host Disease
Kidney Transplantation
Liver Transplantation
Hemodialysis
Cardiovascular Diseases
Dyslipidemia
Hypercholesterolemia
Metabolic Syndrome
Prediabetes
Diabetic Foot Ulcer
Diabetic Neuropathy
Neuropathic Pain
Chronic Pain
Cancer Pain
Nausea and Vomiting
Mucositis
Fatigue
Quality of Life
Physical Activity
Aging
Sleep Apnea
"""
CONDITIONS: tuple[tuple[str, str], ...] = tuple(
    (name, sex) for name, _, sex in (line.partition("|") for line in _CONDITIONS.strip().splitlines())
)
_NOT_DISEASES = frozenset(
    {"Healthy", "Pregnancy", "Smoking Cessation", "Quality of Life", "Physical Activity", "Aging",
     "Anesthesia", "Knee Arthroplasty", "Kidney Transplantation", "Liver Transplantation", "Hemodialysis",
     "Infertility", "Cancer", "Pain", "Fatigue", "Preterm Birth"}
)  # fmt: skip
# What a made-up condition is built on: "Recurrent Melanoma", never "Recurrent Healthy".
DISEASES = tuple(condition for condition in CONDITIONS if condition[0] not in _NOT_DISEASES)
CONDITION_MODIFIERS = (
    "Recurrent", "Metastatic", "Refractory", "Stage IV", "Early", "Pediatric", "Advanced", "Relapsed",
    "Chronic", "Acute", "Severe", "Mild", "Familial", "Drug-resistant", "Locally Advanced",
    "Newly Diagnosed", "Resistant", "Secondary", "Moderate", "Postoperative",
)  # fmt: skip
RARE_DISEASE_WORDS = ("Syndrome", "Disease", "Deficiency", "Related Disorder", "Dystrophy", "Myopathy")

# "name|TYPE", most frequent first.
_INTERVENTIONS = """
Placebo|DRUG
Pembrolizumab|BIOLOGICAL
Standard of Care|OTHER
Questionnaire Administration|OTHER
Laboratory Biomarker Analysis|OTHER
Normal Saline|DRUG
Quality-of-Life Assessment|OTHER
Exercise|BEHAVIORAL
Metformin|DRUG
Nivolumab|BIOLOGICAL
Cisplatin|DRUG
Carboplatin|DRUG
Paclitaxel|DRUG
Docetaxel|DRUG
Cyclophosphamide|DRUG
Dexamethasone|DRUG
Dexmedetomidine|DRUG
Ketamine|DRUG
Lidocaine|DRUG
Bupivacaine|DRUG
Propofol|DRUG
Ondansetron|DRUG
Aspirin|DRUG
Atorvastatin|DRUG
Insulin Glargine|DRUG
Semaglutide|DRUG
Empagliflozin|DRUG
Vitamin D3|DIETARY_SUPPLEMENT
Omega-3 Fatty Acids|DIETARY_SUPPLEMENT
Probiotic|DIETARY_SUPPLEMENT
Radiation Therapy|RADIATION
Stereotactic Body Radiation Therapy|RADIATION
Surgery|PROCEDURE
Biospecimen Collection|PROCEDURE
Computed Tomography|PROCEDURE
Magnetic Resonance Imaging|PROCEDURE
Ultrasound|DIAGNOSTIC_TEST
Cognitive Behavioral Therapy|BEHAVIORAL
Mindfulness-Based Stress Reduction|BEHAVIORAL
Motivational Interviewing|BEHAVIORAL
Health Education|BEHAVIORAL
Mobile Health App|DEVICE
Acupuncture|PROCEDURE
Transcranial Magnetic Stimulation|DEVICE
Continuous Glucose Monitor|DEVICE
Virtual Reality|DEVICE
Physiotherapy|OTHER
Rituximab|BIOLOGICAL
Trastuzumab|BIOLOGICAL
Bevacizumab|BIOLOGICAL
Atezolizumab|BIOLOGICAL
Durvalumab|BIOLOGICAL
Ipilimumab|BIOLOGICAL
Adalimumab|BIOLOGICAL
Dupilumab|BIOLOGICAL
Tocilizumab|BIOLOGICAL
Lenalidomide|DRUG
Bortezomib|DRUG
Gemcitabine|DRUG
Oxaliplatin|DRUG
Capecitabine|DRUG
Fluorouracil|DRUG
Letrozole|DRUG
Tamoxifen|DRUG
Enzalutamide|DRUG
Abiraterone Acetate|DRUG
Osimertinib|DRUG
Ibrutinib|DRUG
Remdesivir|DRUG
Hydroxychloroquine|DRUG
Tenofovir|DRUG
Dolutegravir|DRUG
BCG Vaccine|BIOLOGICAL
Influenza Vaccine|BIOLOGICAL
Hydroxyurea|DRUG
Prednisone|DRUG
Methotrexate|DRUG
Tranexamic Acid|DRUG
Oxytocin|DRUG
Misoprostol|DRUG
Melatonin|DIETARY_SUPPLEMENT
Curcumin|DIETARY_SUPPLEMENT
Iron Supplement|DIETARY_SUPPLEMENT
CAR T Cells|BIOLOGICAL
Autologous Stem Cell Transplantation|PROCEDURE
Genetic Testing|GENETIC
Gene Therapy|GENETIC
Fixed-dose Combination|COMBINATION_PRODUCT
Usual Care|OTHER
Blood Sample|OTHER
"""
INTERVENTIONS: tuple[tuple[str, str], ...] = tuple(
    (name, kind) for name, _, kind in (line.partition("|") for line in _INTERVENTIONS.strip().splitlines())
)
DRUG_STEMS = (
    "ado", "beli", "cari", "davo", "eno", "fara", "gala", "hexa", "ila", "jova", "lora", "mira", "nira",
    "ola", "pela", "quila", "rila", "sota", "tira", "ubro", "velo", "zano", "acal", "bima", "cema",
    "dura", "epra", "fosa", "glo", "imla", "kele", "lumi", "moro", "nexa", "opti", "pira", "rova",
    "seli", "tafa", "vori",
)  # fmt: skip
DRUG_ENDINGS = (
    "zumab", "ximab", "umab", "tinib", "ciclib", "parib", "lisib", "rafenib", "vir", "previr",
    "statin", "pril", "sartan", "olol", "gliflozin", "gliptin", "glutide", "tide", "cept",
    "dronate", "azole", "floxacin", "cycline", "mycin", "setron", "prazole", "lukast", "dipine",
    "oxetine", "zepam", "caine", "platin", "taxel", "rubicin", "lutamide", "relix",
)  # fmt: skip
BIOLOGIC_ENDINGS = ("mab", "cept")
DEVICE_NOUNS = (
    "Stent System", "Catheter", "Wound Dressing", "Neurostimulator", "Insulin Pump", "Implant",
    "Hearing Aid", "Contact Lens", "Monitoring Patch", "Surgical Mesh", "Valve",
)  # fmt: skip
PROGRAM_ADJECTIVES = (
    "Stepwise", "Healthy", "Active", "Mindful", "Family-centred", "Digital", "Peer-led", "Home-based",
    "Brief", "Intensive", "Community", "School-based",
)  # fmt: skip
PROGRAM_NOUNS = (
    "Walking Program", "Coaching", "Counseling", "Education Program", "Support Group",
    "Self-management Program", "Text Messaging", "Diet", "Yoga", "Sleep Hygiene Program",
)  # fmt: skip
INTERVENTION_TYPE_NAMES = {
    "BEHAVIORAL": "Behavioral", "BIOLOGICAL": "Biological", "COMBINATION_PRODUCT": "Combination Product",
    "DEVICE": "Device", "DIAGNOSTIC_TEST": "Diagnostic Test", "DIETARY_SUPPLEMENT": "Dietary Supplement",
    "DRUG": "Drug", "GENETIC": "Genetic", "PROCEDURE": "Procedure", "RADIATION": "Radiation",
    "OTHER": "Other",
}  # fmt: skip

# Eligibility items; {condition}, {drug} and {age} are filled in, a trailing ":" takes sub-items.
INCLUSION_ITEMS = (
    "Age \\>= {age} years at the time of signing informed consent",
    "Diagnosis of {condition} confirmed by a specialist",
    "Histologically or cytologically confirmed {condition}",
    "Signed written informed consent",
    "Eastern Cooperative Oncology Group (ECOG) performance status of 0 or 1",
    "Body mass index (BMI) between 18 and 35 kg/m^2",
    "Adequate organ function, defined as:",
    "Women of childbearing potential must have a negative pregnancy test within 7 days before the first dose",
    "Able to comply with the study protocol and scheduled visits",
    "Stable dose of background therapy for at least 4 weeks before screening",
    "HbA1c between 7.0% and 10.5% at screening",
    "Life expectancy of at least 12 weeks",
    "Measurable disease per RECIST version 1.1",
    "Willing to use highly effective contraception during the study and for 3 months after",
    "Healthy as judged by medical history, physical examination and laboratory tests",
    "Scheduled for elective surgery under general anesthesia",
    "American Society of Anesthesiologists (ASA) physical status I-III",
    "Owns a smartphone and is able to use mobile applications",
)
ORGAN_FUNCTION_ITEMS = (
    "Absolute neutrophil count \\>= 1.5 x 10^9/L",
    "Platelets \\>= 100,000/mm^3",
    "Hemoglobin \\>= 9 g/dL",
    "Creatinine clearance \\> 50 mL/min",
    "Total bilirubin \\<= 1.5 x upper limit of normal (ULN)",
)
EXCLUSION_ITEMS = (
    "Pregnant or breastfeeding women",
    "Known hypersensitivity to {drug} or any of its excipients",
    "Participation in another interventional study within 30 days before enrollment",
    "Active infection requiring systemic therapy",
    "History of another malignancy within 5 years, except adequately treated skin cancer",
    "Uncontrolled hypertension (systolic blood pressure \\> 160 mmHg or diastolic \\> 100 mmHg)",
    "Estimated glomerular filtration rate \\< 30 mL/min/1.73 m^2",
    "Known HIV, hepatitis B or hepatitis C infection",
    "Severe hepatic impairment (Child-Pugh class C)",
    "Current alcohol or drug abuse",
    "Any condition that, in the opinion of the investigator, would interfere with the study",
    "Prior treatment with {drug}",
    "QTc interval \\> 470 ms on the screening electrocardiogram",
    "Major surgery within 4 weeks before randomization",
    "Unable to give informed consent",
    "Psychiatric illness that would limit compliance with study requirements",
    "Use of systemic corticosteroids within 14 days before the first dose",
)
PRIMARY_OUTCOMES = (
    ("Overall Survival", "From randomization to death from any cause, up to 5 years"),
    ("Progression-free Survival", "Up to 36 months"),
    ("Objective Response Rate", "Up to 24 months"),
    ("Change From Baseline in HbA1c", "Baseline and week 26"),
    ("Incidence of Treatment-Emergent Adverse Events", "Up to 52 weeks"),
    ("Number of Participants With Dose-Limiting Toxicities", "Day 1 through Day 21 of Cycle 1"),
    ("Maximum Plasma Concentration (Cmax)", "Pre-dose and up to 72 hours post-dose"),
    ("Area Under the Concentration-Time Curve (AUC)", "Pre-dose and up to 72 hours post-dose"),
    ("Pain Score on a 0-10 Numeric Rating Scale", "24 hours after surgery"),
    ("Change in Systolic Blood Pressure", "Baseline and 12 weeks"),
    ("Rate of Complete Remission", "At the end of induction (about 6 weeks)"),
    ("Mortality", "28 days"),
    ("Change in Hamilton Depression Rating Scale Score", "Baseline and week 8"),
    ("Change in Body Weight", "Baseline and 68 weeks"),
    ("Feasibility: Recruitment Rate", "12 months"),
)
SECONDARY_OUTCOMES = (
    ("Quality of Life (EORTC QLQ-C30)", "Up to 24 months"),
    ("Duration of Response", "Up to 36 months"),
    ("Hospital Length of Stay", "Up to 30 days"),
    ("Patient Satisfaction", "At discharge"),
    ("Number of Participants With Serious Adverse Events", "Up to 2 years"),
    ("Time to Recurrence", "Up to 5 years"),
    ("Change in Six-Minute Walk Distance", "Baseline and week 24"),
    ("Rescue Medication Use", "First 48 hours"),
    ("Health Care Costs", "12 months"),
    ("Adherence to Treatment", "Up to 6 months"),
)
