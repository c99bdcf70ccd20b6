"""Generate the data tables of the training case "corridor" (seeded, byte for byte reproducible).

The case folder ``cases/corridor`` holds two kinds of files:

* hand-written narrative: ``case.yml``, ``answers.yml`` and ``documents/*.md``;
* data tables (``*.csv``): the output of this script. The committed CSV files are exactly what

      .venv/bin/python cases/make_corridor.py

  writes (run it from the repository root). Edit this script, not the CSV files, and run it
  again; the narrative files are never touched when writing into ``cases/corridor``.

The story is simulated, then observed: the network's calls, messages, trips and payments are
generated as they "happened", and each is kept only if one of the investigation's sources saw
it (the driver's phone extraction, call detail records of the target numbers, the hawala shop's
phone and ledger, the money-transfer records, the wiretaps). The source document decides the
phase in which the evidence is released. Core events of the story (the messages quoted in the
documents, the guarantee releases, the arrests) carry fixed, readable ids that the documents
and ``answers.yml`` refer to; background traffic gets numbered ids.

Options
-------
``--out DIR``
    Where to write (default: ``cases/corridor``). When ``DIR`` is not the case folder, the
    hand-written files are copied there too, so that ``DIR`` is a complete case.
``--scale N``
    Multiply the groups of migrants, the background people and their traffic by ``N`` (for
    performance tests). The extra material draws from a random stream of its own, so every
    row of the core story is the same at any scale; but the extra groups add their own
    payments, so the totals stated in ``answers.yml`` (and its solvability checks) hold for
    ``--scale 1`` only. ``--scale 1`` is the committed case. Example::

        .venv/bin/python cases/make_corridor.py --scale 10 --out /tmp/corridor-x10
        .venv/bin/casebook validate /tmp/corridor-x10
``--seed S``
    Seed of the random generator (default 20240611).

Everything is invented: persons, phone numbers, IMEIs, SIM numbers, accounts and plates. Places
and their coordinates are real (WGS84).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CASE_DIR = HERE / "corridor"
HANDWRITTEN = ("case.yml", "answers.yml", "documents", "translations")
DEFAULT_SEED = 20240611

D = dt.datetime


def at(text: str) -> dt.datetime:
    """Parse ``YYYY-MM-DD HH:MM`` (or a date) into a naive local time."""
    text = text.strip()
    return D.fromisoformat(text if len(text) > 10 else text + " 00:00")


# --------------------------------------------------------------------------- the timeline

EXT_END = at("2024-06-11 03:24")  # the driver's phone is seized
CDR_START, CDR_END = at("2024-03-01 00:00"), at("2024-06-30 23:59")
WT1_START = at("2024-07-08 00:00")
ARREST = at("2024-08-06 06:00")  # Bato and four others are arrested
WT2_END = at("2024-09-20 23:59")
LEDGER_END = at("2024-07-31 23:59")  # end of the hawala ledger and money-transfer records
BRK_SWITCH = at("2024-05-20 09:00")  # Bato moves to a new number in the same handset
W2_SWITCH = at("2024-04-15 10:00")  # Miri moves to a new number in the same handset
GIMI_SWITCH = at("2024-08-20 18:00")  # Gimi moves to a new number in the same handset
GIMI_TAP = at("2024-08-08 09:00")
GIMI_B_TAP = at("2024-08-21 09:00")
DRV6_TAP = at("2024-08-14 00:00")

# Documents and the phase that releases them (the Markdown files say the same in their
# front matter; the loader checks both against each other through the events' sources).
DOCS = {
    "D-POL-INT": 1,
    "D-VEH": 1,
    "D-ST-NASIR": 1,
    "D-ST-OMID": 1,
    "D-ST-YOUSEF": 1,
    "D-ST-RANIA": 1,
    "D-ST-SOHAIL": 1,
    "D-EXT": 2,
    "D-CDR": 3,
    "D-CELL": 3,
    "D-DETLOG": 3,
    "D-MTO": 4,
    "D-HAW": 4,
    "D-FIU": 4,
    "D-WT1": 5,
    "D-ARR": 5,
    "D-RAID": 5,
    "D-ST-TARIQ": 5,
    "D-WT2": 5,
}

# --------------------------------------------------------------------------- entities

# id, name, alias, status, gender, birth_year, age_stated, nationality, description
PERSONS = [
    # the network
    ("P-HAJ", "Rahmatullah Karimi", "Hajji", "suspect", "male", 1974, None, "AF",
     "Afghan national living in Istanbul."),
    ("P-BRK", "Selim Bajrami", "Bato", "suspect", "male", 1983, None, "MK",
     "Born in Lojane, lives in Kumanovo. Saved as \"Bato\" in the driver's phone."),
    ("P-REC", "Jawid Hakimi", "Jawid", "suspect", "male", 1992, None, "AF",
     "Afghan national living in Athens."),
    ("P-REC2", "Rasul Omari", "Kaka Rasul", "suspect", "male", 1986, None, "AF",
     "Afghan national living in Belgrade."),
    ("P-W1", "Dejan Trajkovski", "Deki", "suspect", "male", 1996, None, "MK",
     "Lives in Gevgelija."),
    ("P-D1", "Nikola Stojanovski", None, "suspect", "male", 1989, None, "MK",
     "Lorry driver from Veles. Drove the van stopped on the A1 on 11 June 2024."),
    ("P-D2", "Aleksandar Mitrevski", "Ace", "suspect", "male", 1985, None, "MK",
     "Lives in Kumanovo."),
    ("P-SHK1", "Ramadan Zeqiri", "Ramo", "suspect", "male", 1967, None, "MK",
     "Lives in Lojane."),
    ("P-W2", "Fatmir Zeqiri", "Miri", "suspect", "male", 1995, None, "MK",
     "Ramo's nephew; lives in Lojane."),
    ("P-OFF", "Zlatko Petrushevski", None, "official", "male", 1976, None, "MK",
     "Sergeant at a border police station in the north (a fictional character)."),
    ("P-MTA", "Bekim Sulejmani", None, "suspect", "male", 1981, None, "MK",
     "Runs the counter of a money-transfer agency in Kumanovo."),
    ("P-HAW", "Kadir Yildiz", None, "suspect", "male", 1968, None, "TR",
     "Owner of an exchange shop in Aksaray, Istanbul."),
    ("P-FRG", "Dragan Vesic", "Graficar", "suspect", "male", 1978, None, "RS",
     "Runs a print shop in Zemun, Belgrade."),
    ("P-D3", "Stefan Ilic", None, "suspect", "male", 1994, None, "RS",
     "Lives in Vranje."),
    ("P-SHK2", "Nebojsa Markovic", "Nesa", "suspect", "male", 1971, None, "RS",
     "Lives near the Belgrade bus station."),
    ("P-D4", "Attila Kovacs", "Atila", "suspect", "male", 1988, None, "RS",
     "Lives in Subotica."),
    ("P-SHK3", "Lazar Petrovic", "Laza", "suspect", "male", 1962, None, "RS",
     "Farmer between Subotica and Kelebija."),
    ("P-W3", "Csaba Toth", "Caba", "suspect", "male", 1998, None, "RS",
     "Lives in Horgos."),
    ("P-W4", "Dalibor Jovanovic", "Skeledzija", "suspect", "male", 1980, None, "BA",
     "Lives near Zvornik; known as \"Skeledzija\" (the ferryman)."),
    ("P-D5", "Emir Hodzic", None, "suspect", "male", 1991, None, "BA",
     "Lives in Tuzla."),
    ("P-SHK4", "Senad Mujic", "Seki", "suspect", "male", 1977, None, "BA",
     "Lives in Bihac."),
    ("P-W5", "Haris Begic", None, "suspect", "male", 2000, None, "BA",
     "Lives in Velika Kladusa."),
    ("P-GIMI", "Agim Rexha", "Gimi", "suspect", "male", 1990, None, "RS",
     "Taxi driver in Presevo."),
    ("P-D6", "Kiril Angelovski", None, "suspect", "male", 2001, None, "MK",
     "Lives in Kumanovo."),
    # the migrants of the van (11 June 2024)
    ("P-NASIR", "Nasir Rahimi", None, "migrant", "male", None, 24, "AF",
     "Passenger of the van. Second attempt: in 2023 he went through Bosnia and Herzegovina."),
    ("P-OMID", "Omid Jafari", None, "migrant", "male", None, 16, "AF",
     "Passenger of the van. Says he is 16 and travels alone."),
    ("P-YOUSEF", "Yousef Darwish", None, "migrant", "male", None, 38, "SY",
     "Passenger of the van, with his wife and two children."),
    ("P-RANIA", "Rania Darwish", None, "migrant", "female", None, 34, "SY",
     "Passenger of the van; Yousef's wife."),
    ("P-LINA", "Lina Darwish", None, "migrant", "female", None, 9, "SY",
     "Passenger of the van; daughter of Yousef and Rania."),
    ("P-ADAM", "Adam Darwish", None, "migrant", "male", None, 5, "SY",
     "Passenger of the van; son of Yousef and Rania."),
    ("P-SOHAIL", "Sohail Wardak", None, "migrant", "male", None, 31, "AF",
     "Passenger of the van. Was recruited in Athens."),
    ("P-MUSTAFA", "Mustafa Haidari", None, "migrant", "male", None, 22, "AF",
     "Passenger of the van."),
    ("P-KARIM", "Karim Benali", None, "migrant", "male", None, 27, "MA",
     "Passenger of the van."),
    ("P-ZAHIR", "Zahir Noori", None, "migrant", "male", None, 19, "AF",
     "Passenger of the van."),
    ("P-BILAL", "Bilal Aslam", None, "migrant", "male", None, 25, "PK",
     "Passenger of the van."),
    ("P-FARHAD", "Farhad Azimi", None, "migrant", "male", None, 29, "IR",
     "Passenger of the van."),
    ("P-SAMIR", "Samir Khalil", None, "migrant", "male", None, 30, "SY",
     "Passenger of the van."),
    ("P-TARIQ", "Tariq Mehmood", None, "migrant", "male", None, 27, "PK",
     "Pakistani national; his father is Aslam Mehmood."),
    # families who paid
    ("P-NASIR-UNC", "Habib Rahimi", None, "witness", "male", None, None, "AF",
     "Nasir's uncle in Herat; paid the guarantee."),
    ("P-OMID-UNC", "Ghulam Jafari", None, "witness", "male", None, None, "DE",
     "Omid's uncle in Hamburg; paid the guarantee."),
    ("P-YOUSEF-BRO", "Mahmoud Darwish", None, "witness", "male", None, None, "DE",
     "Yousef's brother in Essen; paid the guarantee for the family."),
    ("P-SOHAIL-COU", "Naveed Wardak", None, "witness", "male", None, None, "GB",
     "Sohail's cousin in London; paid the guarantee."),
    ("P-TARIQ-FATH", "Aslam Mehmood", None, "witness", "male", None, None, "PK",
     "Tariq's father in Gujrat, Pakistan."),
    # the suspects' families and acquaintances (background)
    ("P-D1-WIFE", "Elena Stojanovska", None, "other", "female", 1991, None, "MK",
     "The driver's wife."),
    ("P-D1-MOTH", "Vesna Stojanovska", None, "other", "female", 1962, None, "MK",
     "The driver's mother."),
    ("P-D1-BRO", "Goran Stojanovski", None, "other", "male", 1986, None, "MK",
     "The driver's brother; the van is registered in his name."),
    ("P-D1-FRI", "Bojan Nikolov", None, "other", "male", 1989, None, "MK",
     "The driver's friend from Veles."),
    ("P-LANDLORD", "Trajce Dimov", None, "other", "male", 1955, None, "MK",
     "Rents the flat in Veles to the driver."),
    ("P-D2-WIFE", "Marija Mitrevska", None, "other", "female", 1987, None, "MK",
     "Ace's wife."),
    ("P-BRK-WIFE", "Drita Bajrami", None, "other", "female", 1986, None, "MK",
     "Bato's wife."),
    ("P-BRK-BRO", "Nexhat Bajrami", None, "other", "male", 1980, None, "MK",
     "Bato's brother; a second van is registered in his name."),
    ("P-TENANT", "Ardian Iseni", None, "other", "male", 1992, None, "MK",
     "Rents a shop from Bato in Kumanovo."),
    ("P-OFF-WIFE", "Snezana Petrushevska", None, "other", "female", 1979, None, "MK",
     "The sergeant's wife; money transfers are paid out in her name."),
    ("P-OFF-COL", "Igor Ristovski", None, "other", "male", 1984, None, "MK",
     "Colleague of the sergeant at the border police station."),
    ("P-W1-GF", "Ana Gjorgjieva", None, "other", "female", 1998, None, "MK",
     "Deki's girlfriend in Gevgelija."),
    ("P-W2-WIFE", "Lirije Zeqiri", None, "other", "female", 1997, None, "MK",
     "Miri's wife."),
    ("P-W2-FATH", "Shaban Zeqiri", None, "other", "male", 1964, None, "MK",
     "Miri's father, Ramo's brother, in Lojane."),
    ("P-SHK1-SON", "Besnik Zeqiri", None, "other", "male", 1990, None, "MK",
     "Ramo's son, working in Switzerland."),
    ("P-MTA-WIFE", "Merita Sulejmani", None, "other", "female", 1984, None, "MK",
     "Bekim's wife."),
    ("P-SHK2-WIFE", "Gordana Markovic", None, "other", "female", 1973, None, "RS",
     "Nesa's wife."),
    ("P-GIMI-WIFE", "Arta Rexha", None, "other", "female", 1993, None, "RS",
     "Gimi's wife."),
    ("P-D6-MOTH", "Liljana Angelovska", None, "other", "female", 1972, None, "MK",
     "Kiril's mother."),
]

# id, name, kind, country, description
ORGS = [
    ("O-HAW", "Kervan Doviz (exchange shop, Aksaray)", "exchange_office", "TR",
     "Invented exchange shop in Istanbul that holds the guarantees."),
    ("O-MTO", "Kumanovo Express Transfer DOOEL", "money_transfer_shop", "MK",
     "Invented agent of an international money-transfer network in Kumanovo."),
    ("O-SAR-HRT", "Sarrafi Jami (Herat)", "exchange_office", "AF",
     "Invented money exchanger in Herat that takes deposits for the Istanbul shop."),
    ("O-SAR-KBL", "Sarrafi Pamir (Kabul)", "exchange_office", "AF",
     "Invented money exchanger in Kabul that takes deposits for the Istanbul shop."),
    ("O-SAR-GUJ", "Al-Madina Exchange (Gujrat)", "exchange_office", "PK",
     "Invented money changer in Gujrat, Pakistan, that takes deposits for the Istanbul shop."),
    ("O-EMP1", "Vardar Logistika DOOEL", "company", "MK",
     "Invented haulage company in Veles; the driver's employer."),
    ("O-MARKET", "Supermarket in Veles", "company", "MK", "Where the driver's family shops."),
    ("O-FUEL", "Petrol station in Kumanovo", "company", "MK", "Card payments for fuel."),
    ("O-LEASING", "Auto leasing company in Skopje", "company", "MK",
     "Leasing of Bato's car (invented)."),
    ("O-BP", "Border Police, Regional Centre North", "authority", "MK",
     "The sergeant's employer."),
    ("O-PRINT", "Vesic Print (Zemun)", "company", "RS", "Invented print shop."),
    ("O-TAXI", "Taxi dispatch in Presevo", "company", "RS", "Invented taxi company."),
]

# id, number, sim, imei, description. The same IMEI on two numbers is a handset swap.
PHONES = [
    ("PH-D1", "+38970000317", "8938901000000003170", "356938030003170",
     "Seized from the driver at the interception."),
    ("PH-BRK-A", "+38971000204", "8938902000000002041", "353918050002041",
     "Saved as \"Bato\" in the driver's phone; used until 20 May 2024."),
    ("PH-BRK-B", "+38971000962", "8938902000000009628", "353918050002041",
     "Saved as \"Bato nov\" in the driver's phone; used from 20 May 2024."),
    ("PH-W1", "+38975000118", "8938903000000001185", "357201060001184",
     "Saved as \"Deki\" in the driver's phone."),
    ("PH-D2", "+38970000586", "8938901000000005867", "359112070005861",
     "Saved as \"Ace\" in the driver's phone."),
    ("PH-SHK1", "+38978000431", "8938904000000004312", "358240080004317",
     "Saved as \"Ramo Lojane\" in the driver's phone."),
    ("PH-W2-A", "+38977000073", "8938905000000000736", "352099090000734",
     "Saved as \"Miri\" in the driver's phone; used until 15 April 2024."),
    ("PH-W2-B", "+38977000655", "8938905000000006550", "352099090000734",
     "Saved as \"Miri 2\" in the driver's phone; used from 15 April 2024."),
    ("PH-OFF", "+38970000742", "8938901000000007424", "354430100007428",
     "Subscriber: Zlatko Petrushevski."),
    ("PH-MTA", "+38971000850", "8938902000000008502", "356611110008505",
     "Subscriber: Kumanovo Express Transfer DOOEL."),
    ("PH-HAJ", "+905320007714", None, None, "Turkish number."),
    ("PH-HAW", "+905420003306", None, "351877120003307", "Turkish number."),
    ("PH-REC", "+306900004471", None, None, "Greek number."),
    ("PH-REC2", "+381640007302", None, None, "Serbian number."),
    ("PH-SHK2", "+38163000518", "8938103000000005187", None, "Serbian number."),
    ("PH-SHK3", "+38162000907", None, None, "Serbian number."),
    ("PH-FRG", "+38160000233", None, None, "Serbian number."),
    ("PH-D3", "+38164000381", None, None, "Serbian number."),
    ("PH-D4", "+38165000614", None, None, "Serbian number."),
    ("PH-W3", "+38169000148", None, None, "Serbian number."),
    ("PH-W4", "+38765000272", None, None, "Bosnian number."),
    ("PH-GIMI-A", "+38163000129", "8938103000000001293", "353770130001296",
     "Serbian number; used until 20 August 2024."),
    ("PH-GIMI-B", "+38163000871", "8938103000000008715", "353770130001296",
     "Serbian number; used from 21 August 2024."),
    ("PH-D6", "+38970000893", "8938901000000008937", "357433140008932", "Macedonian number."),
    # migrants and their families
    ("PH-NASIR", "+306900008120", None, None, "Greek SIM of Nasir Rahimi."),
    ("PH-YOUSEF", "+306900008274", None, None, "Greek SIM of Yousef Darwish."),
    ("PH-SOHAIL", "+306900008339", None, None, "Greek SIM of Sohail Wardak."),
    ("PH-MUSTAFA", "+306900008412", None, None, "Greek SIM of Mustafa Haidari."),
    ("PH-ZAHIR", "+306900008456", None, None, "Greek SIM of Zahir Noori."),
    ("PH-NASIR-UNC", "+93790002281", None, None, "Nasir's uncle in Herat."),
    ("PH-OMID-UNC", "+4915700012345", None, None, "Omid's uncle in Hamburg."),
    ("PH-YOUSEF-BRO", "+4915200067310", None, None, "Yousef's brother in Essen."),
    ("PH-SOHAIL-COU", "+447700900123", None, None, "Sohail's cousin in London."),
    ("PH-TARIQ-FATH", "+923000009034", None, None, "Tariq's father in Pakistan."),
    ("PH-SAR-HRT", "+93790004410", None, None, "Phone of the Herat money exchanger."),
    ("PH-SAR-KBL", "+93700008800", None, None, "Phone of the Kabul money exchanger."),
    ("PH-SAR-GUJ", "+923210005566", None, None, "Phone of the Gujrat money changer."),
    # background
    ("PH-D1-WIFE", "+38970000318", None, None, "Saved as \"Elena\" in the driver's phone."),
    ("PH-D1-MOTH", "+38943000219", None, None, "Landline in Veles, saved as \"Mama\"."),
    ("PH-D1-BRO", "+38971000466", None, None, "Saved as \"Goran brat\"."),
    ("PH-D1-FRI", "+38975000790", None, None, "Saved as \"Bojan\"."),
    ("PH-D1-FRI2", "+38975000791", None, None, "Saved as \"Toni fudbal\"."),
    ("PH-D1-FRI3", "+38978000355", None, None, "Saved as \"Kumot Sasho\"."),
    ("PH-D1-COU", "+38970000650", None, None, "Saved as \"Bratučed Vlado\"."),
    ("PH-EMP1", "+38943000880", None, None, "Landline of Vardar Logistika, saved as \"Dispecer\"."),
    ("PH-D1-COL1", "+38971000511", None, None, "Saved as \"Pero kamion\"."),
    ("PH-D1-COL2", "+38971000512", None, None, "Saved as \"Zoki kamion\"."),
    ("PH-LANDLORD", "+38943000377", None, None, "Saved as \"Gazda Trajce\"."),
    ("PH-GARAGE", "+38943000901", None, None, "Saved as \"Servis\"."),
    ("PH-D1-COL3", "+38971000513", None, None, "Saved as \"Mile Solun tura\"."),
    ("PH-D1-FRI4", "+38975000792", None, None, "Saved as \"Dule\"."),
    ("PH-D1-CLUB", "+38970000655", None, None, "Saved as \"FK trener\"."),
    ("PH-D2-WIFE", "+38970000587", None, None, "Macedonian number."),
    ("PH-D2-FRI", "+38970000612", None, None, "Macedonian number."),
    ("PH-BRK-WIFE", "+38971000205", None, None, "Macedonian number."),
    ("PH-BRK-BRO", "+38978000120", None, None, "Macedonian number."),
    ("PH-OFF-WIFE", "+38970000743", None, None, "Macedonian number."),
    ("PH-OFF-COL", "+38970000744", None, None, "Macedonian number."),
    ("PH-BP-STN", "+38931000500", None, None, "Landline of the border police station."),
    ("PH-W1-GF", "+38975000390", None, None, "Macedonian number."),
    ("PH-W1-MOTH", "+38934000118", None, None, "Landline in Gevgelija."),
    ("PH-W2-WIFE", "+38977000074", None, None, "Macedonian number."),
    ("PH-W2-FATH", "+38978000432", None, None, "Macedonian number."),
    ("PH-SHK1-SON", "+41790000431", None, None, "Swiss number."),
    ("PH-MTA-WIFE", "+38971000851", None, None, "Macedonian number."),
    ("PH-SHK2-WIFE", "+38163000519", None, None, "Serbian number."),
    ("PH-GIMI-WIFE", "+38163000130", None, None, "Serbian number."),
    ("PH-TAXI", "+38117000660", None, None, "Landline of a taxi dispatch in Presevo."),
    ("PH-D6-MOTH", "+38931000512", None, None, "Landline in Kumanovo."),
    ("PH-D6-GF", "+38970000894", None, None, "Macedonian number."),
]

# id, identifier, kind, institution, country, currency, description
ACCOUNTS = [
    ("AC-HAW", "Guarantee ledger of Kervan Doviz", "hawala", "Kervan Doviz (Istanbul)", "TR", "EUR",
     "The shop's book of deposits held as guarantees and released on \"OK\"."),
    ("AC-BRK-MTO", "MTO customer 41-000-2208", "money_transfer", "Kumanovo Express Transfer",
     "MK", "EUR", "Money-transfer customer record in the name of Selim Bajrami."),
    ("AC-BRK-HWL", "Cash book \"Bato\" at Kumanovo Express Transfer", "hawala",
     "Kumanovo Express Transfer (informal)", "MK", "EUR",
     "Informal balance the agent keeps for Bato and pays out in cash."),
    ("AC-BRK-BANK", "MK07 2500 0000 0041 173", "bank", "Invented Bank Kumanovo", "MK", "EUR",
     "Bato's current account."),
    ("AC-D1-BANK", "MK07 2500 0000 0031 705", "bank", "Invented Bank Veles", "MK", "MKD",
     "The driver's salary account."),
    ("AC-D2-BANK", "MK07 2500 0000 0052 660", "bank", "Invented Bank Kumanovo", "MK", "MKD",
     "Ace's current account."),
    ("AC-OFF-BANK", "MK07 2500 0000 0060 018", "bank", "Invented Bank Kumanovo", "MK", "MKD",
     "The sergeant's salary account."),
]

# id, plate, kind, make, model, colour, country, description
VEHICLES = [
    ("V-VAN1", "VE-0003-AC", "van", "Mercedes-Benz", "Sprinter", "white", "MK",
     "A false wall behind the seats hides a windowless compartment."),
    ("V-CAR2", "KU-0021-BM", "car", "Skoda", "Octavia", "grey", "MK", "Ace's car."),
    ("V-VAN2", "KU-0007-HV", "van", "Fiat", "Ducato", "white", "MK",
     "Registered to Nexhat Bajrami."),
    ("V-AUDI", "KU-0001-SB", "car", "Audi", "A6", "black", "MK", "Registered to Selim Bajrami."),
    ("V-D3", "VR-000-KL", "van", "Peugeot", "Boxer", "silver", "RS", "Used by Stefan Ilic."),
    ("V-D4", "SU-000-TA", "van", "Renault", "Master", "white", "RS", "Used by Attila Kovacs."),
    ("V-D5", "K00-T-417", "van", "Volkswagen", "Transporter", "blue", "BA", "Used by Emir Hodzic."),
    ("V-BOAT", "no registration (grey inflatable)", "boat", None, None, "grey", "BA",
     "Inflatable boat with an outboard motor, about 4 m long."),
    ("V-TAXI", "VR-000-TG", "car", "Skoda", "Superb", "white", "RS", "Gimi's taxi."),
    ("V-D6", "KU-0019-BF", "car", "Volkswagen", "Passat", "dark blue", "MK", "Kiril's car."),
]

# id, name, kind, lat, lon, country, description (real places, WGS84)
LOCATIONS = [
    ("L-IDO", "Idomeni", "city", 41.1230, 22.5160, "GR", "Greek village at the border."),
    ("L-GEV-BRD", "Railway line at the border, Idomeni-Gevgelija", "border_crossing",
     41.1300, 22.5120, "MK", "Where the groups cross on foot along the railway."),
    ("L-GEV", "Gevgelija", "city", 41.1417, 22.5025, "MK", None),
    ("L-VINOJUG", "Vinojug transit centre, Gevgelija", "reception_centre", 41.1350, 22.5085,
     "MK", None),
    ("L-GEV-PICK", "Petrol station on the A1 north of Gevgelija", "meeting_point",
     41.1720, 22.4920, "MK", "Pick-up point of the groups."),
    ("L-NEG", "Negotino", "city", 41.4839, 22.0892, "MK", None),
    ("L-A1-VELES", "A1 motorway near Veles, northbound", "other", 41.7180, 21.8010, "MK",
     "Where the van was stopped on 11 June 2024."),
    ("L-VELES", "Veles", "city", 41.7156, 21.7756, "MK", "The driver lives here."),
    ("L-SKP", "Skopje", "city", 41.9981, 21.4254, "MK", None),
    ("L-KUM", "Kumanovo", "city", 42.1322, 21.7144, "MK", None),
    ("L-KUM-MTO", "Money-transfer office, Kumanovo centre", "address", 42.1335, 21.7165, "MK",
     None),
    ("L-LOJ-SH", "House in Lojane", "safe_house", 42.2268, 21.6655, "MK",
     "A house in the village."),
    ("L-LOJ-SH2", "Empty house at the edge of Lojane", "safe_house", 42.2300, 21.6580, "MK",
     "Used after the arrests of August 2024."),
    ("L-TAB", "Tabanovce border crossing", "border_crossing", 42.2131, 21.7095, "MK", None),
    ("L-MIR", "Green border Lojane-Miratovac", "border_crossing", 42.2420, 21.6610, "MK",
     "Footpaths over the hills into Serbia."),
    ("L-MIRATOVAC", "Miratovac", "meeting_point", 42.2550, 21.6620, "RS",
     "Serbian village where the groups are picked up."),
    ("L-PRE", "Presevo", "city", 42.3092, 21.6492, "RS", None),
    ("L-VRA", "Vranje", "city", 42.5514, 21.9003, "RS", None),
    ("L-NIS", "Nis", "city", 43.3209, 21.8958, "RS", None),
    ("L-BG", "Belgrade", "city", 44.8125, 20.4612, "RS", None),
    ("L-BG-SH", "Flat near the Belgrade bus station", "safe_house", 44.8085, 20.4565, "RS",
     "Nesa's flat."),
    ("L-SUB", "Subotica", "city", 46.1005, 19.6656, "RS", None),
    ("L-SUB-FARM", "Farm between Subotica and Kelebija", "safe_house", 46.1360, 19.6280, "RS",
     "Lazar Petrovic's farm."),
    ("L-KEL", "Kelebija border crossing", "border_crossing", 46.1730, 19.6100, "RS", None),
    ("L-HOR", "Horgos border crossing", "border_crossing", 46.1780, 19.9880, "RS", None),
    ("L-MZV", "Mali Zvornik", "city", 44.3736, 19.1064, "RS", None),
    ("L-DRINA", "Drina river north of Zvornik (Karakaj)", "river_crossing", 44.4180, 19.1180,
     "BA", "Fast-flowing river at the border between Serbia and Bosnia and Herzegovina."),
    ("L-ZVO", "Zvornik", "city", 44.3865, 19.1026, "BA", None),
    ("L-TUZ", "Tuzla", "city", 44.5384, 18.6671, "BA", None),
    ("L-SAR", "Sarajevo", "city", 43.8563, 18.4131, "BA", None),
    ("L-BIH", "Bihac", "city", 44.8169, 15.8708, "BA", None),
    ("L-BIH-SH", "House on the edge of Bihac", "safe_house", 44.8250, 15.8920, "BA",
     "Seki's house."),
    ("L-VK", "Velika Kladusa", "city", 45.1844, 15.8056, "BA", None),
    ("L-VK-BRD", "Green border near Velika Kladusa", "border_crossing", 45.2000, 15.7900, "BA",
     "Forest paths towards Croatia."),
    ("L-IST", "Aksaray, Istanbul", "address", 41.0086, 28.9520, "TR", "Where the shop is."),
    ("L-ATH", "Victoria Square, Athens", "meeting_point", 37.9930, 23.7300, "GR", None),
    # cell sites of the Macedonian operator
    ("L-CS-GEV-N", "Cell site Gevgelija north", "cell_site", 41.1560, 22.4990, "MK", None),
    ("L-CS-GEV-S", "Cell site Gevgelija south (border)", "cell_site", 41.1330, 22.5060, "MK",
     None),
    ("L-CS-NEG", "Cell site Negotino A1", "cell_site", 41.4870, 22.0990, "MK", None),
    ("L-CS-VEL", "Cell site Veles east (A1)", "cell_site", 41.7130, 21.7950, "MK", None),
    ("L-CS-SKP", "Cell site Skopje east (A1)", "cell_site", 42.0060, 21.4650, "MK", None),
    ("L-CS-KUM", "Cell site Kumanovo centre", "cell_site", 42.1330, 21.7150, "MK", None),
    ("L-CS-LOJ", "Cell site Lojane", "cell_site", 42.2250, 21.6700, "MK", None),
    ("L-CS-TAB", "Cell site Tabanovce", "cell_site", 42.2150, 21.7130, "MK", None),
]

HOME_CELL = {
    "PH-BRK-A": "L-CS-KUM",
    "PH-BRK-B": "L-CS-KUM",
    "PH-W1": "L-CS-GEV-N",
    "PH-D2": "L-CS-KUM",
    "PH-SHK1": "L-CS-LOJ",
    "PH-W2-A": "L-CS-LOJ",
    "PH-W2-B": "L-CS-LOJ",
    "PH-OFF": "L-CS-TAB",
    "PH-MTA": "L-CS-KUM",
    "PH-D6": "L-CS-KUM",
}

# Who uses which phone, and the document that attributes it (phase of the attribution).
# (phone, person, source, confidence, description)
PHONE_USERS = [
    ("PH-D1", "P-D1", "D-POL-INT", "A1", "Seized from the driver."),
    ("PH-NASIR", "P-NASIR", "D-ST-NASIR", "B2", "Number the witness gave."),
    ("PH-NASIR-UNC", "P-NASIR-UNC", "D-ST-NASIR", "B2", "Number the witness gave for his uncle."),
    ("PH-YOUSEF", "P-YOUSEF", "D-ST-YOUSEF", "B2", "Number the witness gave."),
    ("PH-YOUSEF-BRO", "P-YOUSEF-BRO", "D-ST-YOUSEF", "B2",
     "Number the witness gave for his brother."),
    ("PH-SOHAIL", "P-SOHAIL", "D-ST-SOHAIL", "B2", "Number the witness gave."),
    ("PH-SOHAIL-COU", "P-SOHAIL-COU", "D-ST-SOHAIL", "B2",
     "Number the witness gave for his cousin."),
    ("PH-REC", "P-REC", "D-CDR", "B3",
     "\"Jawid\" in the chats of a witness; subscriber data from Greece (police cooperation)."),
    ("PH-MUSTAFA", "P-MUSTAFA", "D-ST-SOHAIL", "B3", "Number of the witness's travel companion."),
    ("PH-ZAHIR", "P-ZAHIR", "D-ST-SOHAIL", "B3", "Number of the witness's travel companion."),
    ("PH-BRK-A", "P-BRK", "D-EXT", "B3",
     "Saved as \"Bato\"; the WhatsApp profile photo matches the police photo of Selim Bajrami."),
    ("PH-BRK-B", "P-BRK", "D-EXT", "B2",
     "\"Bato. New number, delete the old one.\" Same profile photo as the old number."),
    ("PH-W1", "P-W1", "D-EXT", "B3", "Saved as \"Deki\"; the migrants describe \"Deki\"."),
    ("PH-D2", "P-D2", "D-EXT", "B3", "Saved as \"Ace\"; subscriber Aleksandar Mitrevski."),
    ("PH-SHK1", "P-SHK1", "D-EXT", "B3", "Saved as \"Ramo Lojane\"."),
    ("PH-W2-A", "P-W2", "D-EXT", "B3", "Saved as \"Miri\"."),
    ("PH-W2-B", "P-W2", "D-EXT", "B2", "\"Miri. New number.\" Saved as \"Miri 2\"."),
    ("PH-D1-WIFE", "P-D1-WIFE", "D-EXT", "A2", "Saved as \"Elena\"."),
    ("PH-D1-MOTH", "P-D1-MOTH", "D-EXT", "A2", "Saved as \"Mama\"."),
    ("PH-D1-BRO", "P-D1-BRO", "D-EXT", "A2", "Saved as \"Goran brat\"."),
    ("PH-D1-FRI", "P-D1-FRI", "D-EXT", "B2", "Saved as \"Bojan\"."),
    ("PH-LANDLORD", "P-LANDLORD", "D-EXT", "B2", "Saved as \"Gazda Trajce\"."),
    ("PH-HAJ", "P-HAJ", "D-CDR", "C3",
     "Turkish number; the WhatsApp name of the account is \"Hajji Karimi\"."),
    ("PH-REC2", "P-REC2", "D-CDR", "C3", "Subscriber data from the Serbian operator (JIT)."),
    ("PH-OFF", "P-OFF", "D-CDR", "A2", "Registered to Zlatko Petrushevski."),
    ("PH-MTA", "P-MTA", "D-CDR", "A2", "Company number; used by the agent Bekim Sulejmani."),
    ("PH-SHK2", "P-SHK2", "D-CDR", "B2", "Subscriber data from the Serbian operator (JIT)."),
    ("PH-SHK3", "P-SHK3", "D-CDR", "B2", "Subscriber data from the Serbian operator (JIT)."),
    ("PH-FRG", "P-FRG", "D-CDR", "B3", "Subscriber data from the Serbian operator (JIT)."),
    ("PH-D3", "P-D3", "D-CDR", "B2", "Subscriber data from the Serbian operator (JIT)."),
    ("PH-D4", "P-D4", "D-CDR", "B3", "Prepaid; attributed through the Serbian police (JIT)."),
    ("PH-W3", "P-W3", "D-CDR", "C3", "Prepaid; attributed through the Serbian police (JIT)."),
    ("PH-W4", "P-W4", "D-CDR", "C3", "Bosnian prepaid; attributed by the BiH border police."),
    ("PH-GIMI-A", "P-GIMI", "D-CDR", "B2", "Subscriber data from the Serbian operator (JIT)."),
    ("PH-D2-WIFE", "P-D2-WIFE", "D-CDR", "A2", "Subscriber data."),
    ("PH-BRK-WIFE", "P-BRK-WIFE", "D-CDR", "A2", "Subscriber data."),
    ("PH-BRK-BRO", "P-BRK-BRO", "D-CDR", "A2", "Subscriber data."),
    ("PH-OFF-WIFE", "P-OFF-WIFE", "D-CDR", "A2", "Subscriber data."),
    ("PH-OFF-COL", "P-OFF-COL", "D-CDR", "A2", "Subscriber data."),
    ("PH-W1-GF", "P-W1-GF", "D-CDR", "A2", "Subscriber data."),
    ("PH-W2-WIFE", "P-W2-WIFE", "D-CDR", "A2", "Subscriber data."),
    ("PH-W2-FATH", "P-W2-FATH", "D-CDR", "A2", "Subscriber data."),
    ("PH-SHK1-SON", "P-SHK1-SON", "D-CDR", "B3", "Swiss number; named in the family."),
    ("PH-MTA-WIFE", "P-MTA-WIFE", "D-CDR", "A2", "Subscriber data."),
    ("PH-SHK2-WIFE", "P-SHK2-WIFE", "D-CDR", "B2", "Subscriber data (JIT)."),
    ("PH-HAW", "P-HAW", "D-HAW", "A2", "The shop's phone, seized in Istanbul."),
    ("PH-TARIQ-FATH", "P-TARIQ-FATH", "D-HAW", "B2", "Sender of an \"OK\" kept by the shop."),
    ("PH-GIMI-B", "P-GIMI", "D-WT2", "A2", "Same handset (IMEI) as Gimi's old number."),
    ("PH-D6", "P-D6", "D-WT2", "B2", "Subscriber Kiril Angelovski."),
    ("PH-GIMI-WIFE", "P-GIMI-WIFE", "D-WT2", "B2", "Subscriber data (JIT)."),
    ("PH-D6-MOTH", "P-D6-MOTH", "D-WT2", "A2", "Subscriber data."),
]
# Organisations that use a phone (they stay phone nodes in who-talks-to-whom).
ORG_PHONES = [
    ("PH-SAR-HRT", "O-SAR-HRT", "D-HAW"),
    ("PH-SAR-KBL", "O-SAR-KBL", "D-HAW"),
    ("PH-SAR-GUJ", "O-SAR-GUJ", "D-HAW"),
    ("PH-EMP1", "O-EMP1", "D-EXT"),
    ("PH-BP-STN", "O-BP", "D-CDR"),
    ("PH-TAXI", "O-TAXI", "D-WT2"),
]

# Lines whose traffic each source sees.
EXT_LINES = {"PH-D1"}
CDR_LINES = {
    # first request: the numbers found in the driver's phone
    "PH-BRK-A", "PH-BRK-B", "PH-W1", "PH-D2", "PH-SHK1", "PH-W2-A", "PH-W2-B",
    # second request: the broker's most frequent contacts (Serbian numbers through the JIT)
    "PH-OFF", "PH-MTA", "PH-SHK2",
}
WT1_LINES = {"PH-BRK-B", "PH-D2", "PH-SHK1", "PH-W2-B", "PH-OFF", "PH-MTA"}
APPS_IN_CDR = {"gsm", "sms"}

# --------------------------------------------------------------------------- the groups

# gid, evening of the walk from Idomeni, people, nights in Lojane, northern leg
CORE_GROUPS = [
    ("G01", "2024-03-05", 8, 2, "HU"),
    ("G02", "2024-03-14", 11, 1, "HU"),
    ("G03", "2024-03-22", 7, 2, "BA"),
    ("G04", "2024-04-03", 12, 1, "HU"),
    ("G05", "2024-04-12", 9, 2, "HU"),
    ("G06", "2024-04-20", 10, 1, "BA"),
    ("G07", "2024-04-30", 8, 2, "HU"),
    ("G08", "2024-05-09", 12, 1, "HU"),
    ("G09", "2024-05-17", 9, 2, "BA"),
    ("G10", "2024-05-28", 11, 1, "HU"),
    ("G11", "2024-06-10", 13, 0, "HU"),
    ("G12", "2024-06-21", 8, 2, "HU"),
    ("G13", "2024-07-02", 10, 1, "BA"),
    ("G14", "2024-07-11", 9, 2, "HU"),
    ("G15", "2024-07-19", 11, 1, "HU"),
    ("G16", "2024-08-01", 8, 2, "HU"),
    ("G17", "2024-08-22", 7, 1, "BA"),
    ("G18", "2024-09-04", 9, 1, "BA"),
    ("G19", "2024-09-14", 6, 1, "HU"),
]
VAN_GROUP = "G11"
TARIQ_GROUP = "G04"
LAST_RELEASED_GROUP = "G15"
LAST_GROUP_BEFORE_ARREST = "G16"  # its "OK" came the evening before the arrests: never paid
DOCUMENT_GROUPS = {"G02", "G05", "G08", "G14"}  # false identity cards for some of the group
GIMI_TAXI_GROUPS = {"G05", "G09", "G13"}  # Gimi drives a few people to Presevo
VAN_PASSENGERS = [
    "P-NASIR", "P-OMID", "P-YOUSEF", "P-RANIA", "P-LINA", "P-ADAM", "P-SOHAIL", "P-MUSTAFA",
    "P-KARIM", "P-ZAHIR", "P-BILAL", "P-FARHAD", "P-SAMIR",
]

# Guarantee release to Bato per person and leg (EUR); deposits per person and leg (USD).
RELEASE_LEG1 = 1200
RELEASE_LEG2 = 1800
DEPOSIT_LEG1 = 2800
DEPOSIT_LEG2 = {"HU": 3400, "BA": 3200}
RELEASE_TOTAL_EUR = 383400  # what answers.yml states for --scale 1 (checked when writing)

WEEKDAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# --------------------------------------------------------------------------- the builder


class Builder:
    """Collect the rows of every table while the story is simulated and observed."""

    def __init__(self, seed: int, scale: int):
        self.rng = random.Random(seed)
        # everything added by --scale N draws from its own stream, so that the core story
        # is the same at every scale
        self.xrng = random.Random(seed * 1009 + scale)
        self.scale = scale
        self.persons = [list(p) for p in PERSONS]
        self.orgs = [list(o) for o in ORGS]
        self.phones = [list(p) for p in PHONES]
        self.accounts = [list(a) for a in ACCOUNTS]
        self.vehicles = [list(v) for v in VEHICLES]
        self.locations = [list(v) for v in LOCATIONS]
        self.comms: list[dict] = []
        self.payments: list[dict] = []
        self.trips: list[dict] = []
        self.detections: list[dict] = []
        self.links: list[dict] = []
        self.extra_cdr_lines: set[str] = set()
        self.groups: list[dict] = []
        self._seq = {"C": 0, "PX": 0, "TX": 0, "DX": 0}

    # -- low-level adders ---------------------------------------------------------------
    def comm(self, kind, time, caller, receiver, *, dur=None, app=None, content=None,
             cells=None, cid=None, source=None, confidence=None, description=None):
        """Record a call or message if a source saw it; return its row or ``None``."""
        app = app or ("gsm" if kind == "call" else "sms")
        if source is None:
            source = observe(time, caller, receiver, app, self.extra_cdr_lines)
        if source is None:
            return None
        if kind == "call" and dur is None:
            dur = self.rng.randint(25, 240)
        if kind == "message":
            dur = None
        # CDRs carry no content; extractions and seized phones show messages, not what was
        # said in a call; wiretaps and statements give both.
        keep_content = (source in ("D-WT1", "D-WT2") or source.startswith("D-ST")
                        or (kind == "message" and source != "D-CDR"))
        cell_a = cell_b = None
        if source in ("D-CDR", "D-WT1", "D-WT2"):
            cells = cells or {}
            cell_a = cells.get(caller, HOME_CELL.get(caller)) if seen(caller, time) else None
            cell_b = cells.get(receiver, HOME_CELL.get(receiver)) if seen(receiver, time) else None
        if confidence is None:
            confidence = {"D-EXT": "A1", "D-CDR": "A1", "D-WT1": "A1", "D-WT2": "A1",
                          "D-HAW": "B2"}.get(source, "B2")
        row = {
            "id": cid,
            "kind": kind,
            "time": time,
            "caller": caller,
            "receiver": receiver,
            "duration_s": dur,
            "app": app,
            "caller_cell": cell_a,
            "receiver_cell": cell_b,
            "content": content if keep_content else None,
            "source": source,
            "confidence": confidence,
            "description": description,
        }
        self.comms.append(row)
        return row

    def pay(self, pid, time, *, payer=None, payer_account=None, payee=None, payee_account=None,
            amount, currency="EUR", channel, purpose=None, source, confidence="A2",
            description=None):
        """Record a payment."""
        self.payments.append({
            "id": pid, "time": time, "payer": payer, "payer_account": payer_account,
            "payee": payee, "payee_account": payee_account, "amount": amount,
            "currency": currency, "channel": channel, "purpose": purpose, "source": source,
            "confidence": confidence, "description": description,
        })

    def trip(self, tid, start, end, origin, destination, mode, *, vehicle=None, driver=None,
             passengers=(), count=None, source, confidence="B2", description=None):
        """Record a leg of a journey (if a source saw it)."""
        if source in (None, "skip"):
            return
        self.trips.append({
            "id": tid, "start": start, "end": end, "origin": origin, "destination": destination,
            "mode": mode, "vehicle": vehicle, "driver": driver, "passengers": list(passengers),
            "passenger_count": count, "source": source, "confidence": confidence,
            "description": description,
        })

    def detect(self, did, time, location, kind, *, vehicle=None, persons=(), count=None,
               source, confidence="A1", description=None):
        """Record what the authorities saw."""
        self.detections.append({
            "id": did, "time": time, "location": location, "type": kind, "vehicle": vehicle,
            "persons": list(persons), "person_count": count, "source": source,
            "confidence": confidence, "description": description,
        })

    def link(self, lid, kind, subject, obj, *, start=None, end=None, source, confidence="B2",
             description=None):
        """Record a lasting relation."""
        self.links.append({
            "id": lid, "type": kind, "subject": subject, "object": obj, "start": start,
            "end": end, "source": source, "confidence": confidence, "description": description,
        })

    def minutes(self, base: dt.datetime, lo: int, hi: int) -> dt.datetime:
        """Return ``base`` plus a random number of minutes in [lo, hi]."""
        return base + dt.timedelta(minutes=self.rng.randint(lo, hi))


def seen(phone: str, time: dt.datetime) -> bool:
    """Tell whether a Macedonian operator's records give the cell of ``phone`` at ``time``."""
    if phone not in HOME_CELL:
        return False
    if CDR_START <= time <= CDR_END and phone in CDR_LINES:
        return True
    if WT1_START <= time < ARREST and phone in WT1_LINES:
        return True
    return ARREST <= time <= WT2_END and phone in ("PH-W2-B", "PH-D6")


def observe(time, a, b, app, extra_cdr=frozenset()):
    """Return the document that saw a communication between ``a`` and ``b``, or ``None``."""
    ends = {a, b}
    if ends & EXT_LINES and time <= EXT_END:
        return "D-EXT"
    if CDR_START <= time <= CDR_END and app in APPS_IN_CDR and ends & (CDR_LINES | extra_cdr):
        return "D-CDR"
    if "PH-HAW" in ends and CDR_START <= time <= LEDGER_END:
        return "D-HAW"
    if app not in APPS_IN_CDR:
        return None
    if WT1_START <= time < ARREST and ends & WT1_LINES:
        return "D-WT1"
    if ARREST <= time <= WT2_END:
        if "PH-W2-B" in ends:
            return "D-WT2"
        if "PH-GIMI-A" in ends and GIMI_TAP <= time < GIMI_SWITCH:
            return "D-WT2"
        if "PH-GIMI-B" in ends and time >= GIMI_B_TAP:
            return "D-WT2"
        if "PH-D6" in ends and time >= DRV6_TAP:
            return "D-WT2"
    return None


def period_source(t: dt.datetime, before: str) -> str | None:
    """Return the document that records a trip or detection at ``t``, or ``None``.

    ``before`` is the phase-3 document (cell sites or the detections log) used up to the end
    of the call records; the wiretap summaries cover their own periods.
    """
    if t <= CDR_END:
        return before
    if WT1_START <= t < ARREST:
        return "D-WT1"
    if ARREST <= t <= WT2_END:
        return "D-WT2"
    return None


def brk(t):
    """Bato's number at time ``t``."""
    return "PH-BRK-A" if t < BRK_SWITCH else "PH-BRK-B"


def w2(t):
    """Miri's number at time ``t``."""
    return "PH-W2-A" if t < W2_SWITCH else "PH-W2-B"


def gimi(t):
    """Gimi's number at time ``t``."""
    return "PH-GIMI-A" if t < GIMI_SWITCH else "PH-GIMI-B"


# --------------------------------------------------------------------------- background


# (line, contact, calls per day, messages per day, window start, window end)
BACKGROUND = [
    ("PH-D1", "PH-D1-WIFE", 0.9, 1.1, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-MOTH", 0.45, 0.0, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-BRO", 0.2, 0.15, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-FRI", 0.15, 0.2, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-FRI2", 0.06, 0.08, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-FRI3", 0.05, 0.03, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-COU", 0.05, 0.03, CDR_START, EXT_END),
    ("PH-D1", "PH-EMP1", 0.35, 0.0, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-COL1", 0.1, 0.05, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-COL2", 0.08, 0.04, CDR_START, EXT_END),
    ("PH-D1", "PH-LANDLORD", 0.04, 0.02, CDR_START, EXT_END),
    ("PH-D1", "PH-GARAGE", 0.04, 0.0, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-COL3", 0.06, 0.02, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-FRI4", 0.05, 0.05, CDR_START, EXT_END),
    ("PH-D1", "PH-D1-CLUB", 0.03, 0.03, CDR_START, EXT_END),
    ("PH-BRK", "PH-BRK-WIFE", 0.3, 0.15, CDR_START, ARREST),
    ("PH-BRK", "PH-BRK-BRO", 0.15, 0.05, CDR_START, ARREST),
    ("PH-W1", "PH-W1-GF", 0.4, 0.3, CDR_START, CDR_END),
    ("PH-W1", "PH-W1-MOTH", 0.12, 0.0, CDR_START, CDR_END),
    ("PH-D2", "PH-D2-WIFE", 0.35, 0.15, CDR_START, ARREST),
    ("PH-D2", "PH-D2-FRI", 0.08, 0.04, CDR_START, ARREST),
    ("PH-SHK1", "PH-W2-FATH", 0.15, 0.0, CDR_START, ARREST),
    ("PH-SHK1", "PH-SHK1-SON", 0.12, 0.0, CDR_START, ARREST),
    ("PH-W2", "PH-W2-WIFE", 0.3, 0.15, CDR_START, WT2_END),
    ("PH-W2", "PH-W2-FATH", 0.12, 0.0, CDR_START, WT2_END),
    ("PH-W2", "PH-SHK1", 0.08, 0.0, CDR_START, ARREST),
    ("PH-OFF", "PH-OFF-WIFE", 0.35, 0.15, CDR_START, ARREST),
    ("PH-OFF", "PH-OFF-COL", 0.15, 0.05, CDR_START, ARREST),
    ("PH-OFF", "PH-BP-STN", 0.2, 0.0, CDR_START, ARREST),
    ("PH-MTA", "PH-MTA-WIFE", 0.25, 0.1, CDR_START, ARREST),
    ("PH-SHK2", "PH-SHK2-WIFE", 0.3, 0.1, CDR_START, CDR_END),
    ("PH-SHK2", "PH-REC2", 0.12, 0.05, CDR_START, CDR_END),
    ("PH-GIMI", "PH-GIMI-WIFE", 0.4, 0.2, ARREST, WT2_END),
    ("PH-GIMI", "PH-TAXI", 0.25, 0.0, ARREST, WT2_END),
    ("PH-D6", "PH-D6-MOTH", 0.35, 0.0, DRV6_TAP, WT2_END),
    ("PH-D6", "PH-D6-GF", 0.3, 0.25, DRV6_TAP, WT2_END),
]

# Customers of the money-transfer agent who call the counter (prepaid, unidentified).
MTA_CUSTOMERS = 8

FAMILY_TEXTS = [
    "Buy bread on the way home.", "When are you coming?", "Call your mother.",
    "The little one has a fever again.", "I'm at work, call you later.", "Did you eat?",
    "Are you coming for lunch on Sunday?", "Don't forget the electricity bill.",
    "Where are you?", "Ok.", "Love you.", "Bring milk.",
]
WORK_TEXTS = [
    "Load in Negotino at 7.", "Tomorrow Thessaloniki, the usual client.",
    "Papers are in the office.", "Call me when you're unloaded.", "Match on Saturday?",
]
WIRETAP_PRIVATE = "Private conversation; not relevant."


def line_at(line: str, t: dt.datetime) -> str:
    """Resolve a person's line name to the number in use at ``t``."""
    if line == "PH-BRK":
        return brk(t)
    if line == "PH-W2":
        return w2(t)
    if line == "PH-GIMI":
        return gimi(t)
    return line


def background(b: Builder) -> None:
    """Simulate the private and work traffic of the observed lines."""
    plan = [(b.rng, *row) for row in BACKGROUND]
    for i in range(MTA_CUSTOMERS):
        plan.append((b.rng, "PH-MTA", f"PH-MTAC{i + 1:03d}", 0.05, 0.0, CDR_START, ARREST))
    for extra in range(1, b.scale):
        # more customers, relatives and friends of the observed lines at --scale N
        for i in range(MTA_CUSTOMERS):
            k = extra * MTA_CUSTOMERS + i + 1
            plan.append((b.xrng, "PH-MTA", f"PH-MTAC{k:03d}", 0.05, 0.0, CDR_START, ARREST))
        for line, contact, calls, msgs, start, end in BACKGROUND:
            plan.append((b.xrng, line, f"PH-X{extra:03d}-{contact[3:]}", calls / 2, msgs / 2,
                         start, end))
    for rng, line, contact, calls, msgs, start, end in plan:
        day = start.replace(hour=0, minute=0)
        while day <= end:
            for kind, rate in (("call", calls), ("message", msgs)):
                n = int(rate) + (1 if rng.random() < rate - int(rate) else 0)
                for _ in range(n):
                    t = day + dt.timedelta(minutes=rng.randint(7 * 60, 22 * 60 + 30))
                    if not (start <= t <= end):
                        continue
                    a = line_at(line, t)
                    pair = (a, contact) if rng.random() < 0.55 else (contact, a)
                    work = contact in ("PH-EMP1", "PH-D1-COL1", "PH-D1-COL2", "PH-D1-FRI2")
                    text = rng.choice(WORK_TEXTS if work else FAMILY_TEXTS)
                    app = "whatsapp" if (kind == "message" and line == "PH-D1"
                                         and rng.random() < 0.7) else None
                    if kind == "call" and line == "PH-D1" and rng.random() < 0.25:
                        app = "viber"
                    src = observe(t, pair[0], pair[1], app or ("gsm" if kind == "call" else "sms"),
                                  b.extra_cdr_lines)
                    content = None
                    if kind == "message":
                        content = text
                    elif src in ("D-WT1", "D-WT2"):
                        content = WIRETAP_PRIVATE
                    b.comm(kind, t, pair[0], pair[1], app=app, content=content,
                           dur=rng.randint(20, 900) if kind == "call" else None)
            day += dt.timedelta(days=1)


# --------------------------------------------------------------------------- the groups


def plan_groups(b: Builder) -> list[dict]:
    """Return the groups to simulate: the core story and, at --scale N, N-1 times more."""
    rng = b.xrng
    groups = []
    for gid, day, n, nights, branch in CORE_GROUPS:
        groups.append({"gid": gid, "n0": at(day), "n": n, "nights": nights, "branch": branch,
                       "core": True})
    for extra in range(1, b.scale):
        for k, (gid, day, *_rest) in enumerate(CORE_GROUPS):
            if at(day) >= at("2024-07-25") or gid == VAN_GROUP:
                continue  # extra groups only in the period the core story has room for
            shift = rng.randint(-3, 3)
            n0 = at(day) + dt.timedelta(days=shift, hours=rng.randint(0, 2))
            groups.append({"gid": f"G{extra:03d}{k:02d}", "n0": n0, "n": rng.randint(5, 13),
                           "nights": rng.randint(1, 3), "branch": rng.choice(["HU", "BA"]),
                           "core": False})
    groups.sort(key=lambda g: (g["n0"], g["gid"]))
    return groups


def mk_driver(t: dt.datetime) -> tuple[str, str, str]:
    """Return the Macedonian driver (person, phone, vehicle) working at ``t``."""
    if t < at("2024-06-11"):
        return "P-D1", "PH-D1", "V-VAN1"
    if t < ARREST:
        return "P-D2", "PH-D2", "V-VAN2"
    return "P-D6", "PH-D6", "V-D6"


def simulate_group(b: Builder, g: dict) -> None:
    """Simulate one group from Athens to Hungary or Croatia, and what the sources saw of it."""
    rng = b.rng
    gid, n, nights, branch = g["gid"], g["n"], g["nights"], g["branch"]
    n0 = g["n0"]
    post = n0 >= ARREST
    boss = gimi if post else brk
    driver, dphone, van = mk_driver(n0 + dt.timedelta(hours=20))
    wd = WEEKDAY[n0.weekday()]
    core = g["core"]

    def cid(suffix):
        return f"C-{gid}-{suffix}" if core else None

    # planning, three to one days before the walk
    t = b.minutes(n0 - dt.timedelta(days=3), 10 * 60, 13 * 60)
    b.comm("call", t, "PH-HAJ", boss(t), dur=rng.randint(120, 420), cid=cid("P1"),
           content=f"Hajji announces {n} people from Athens for {wd} night; Jawid sends the list.")
    t = b.minutes(n0 - dt.timedelta(days=3), 14 * 60, 18 * 60)
    b.comm("call", t, "PH-REC", boss(t), dur=rng.randint(60, 200), cid=cid("P2"),
           content=f"Jawid: {n} are ready in Polykastro; they will be at Idomeni on {wd}.")
    t = b.minutes(n0 - dt.timedelta(days=2), 11 * 60, 19 * 60)
    b.comm("call", t, boss(t), "PH-W1", dur=rng.randint(40, 120), cid=cid("P3"),
           content=f"{wd} night, {n} people, the usual place at the rails.")
    t = b.minutes(n0 - dt.timedelta(days=1), 17 * 60, 19 * 60)
    if gid == VAN_GROUP:
        pass  # the orders for the van night are written by hand (core_van)
    elif dphone == "PH-D1":
        b.comm("message", t, boss(t), dphone, app="whatsapp", cid=cid("P4"),
               content=f"Tomorrow night {n}. Deki calls you.")
        b.comm("message", t + dt.timedelta(minutes=rng.randint(2, 30)), dphone, boss(t),
               app="whatsapp", cid=cid("P5"), content="Ok.")
        t2 = b.minutes(n0 - dt.timedelta(days=1), 19 * 60, 21 * 60)
        b.comm("call", t2, boss(t2), "PH-D2", dur=rng.randint(30, 90), cid=cid("P6"),
               content="Ace drives in front of the van tomorrow night.")
    else:
        b.comm("call", t, boss(t), dphone, dur=rng.randint(30, 90), cid=cid("P4"),
               content=f"Tomorrow night {n}, petrol station north, half past one.")
    if not post:
        t = b.minutes(n0 - dt.timedelta(days=1), 12 * 60, 20 * 60)
        b.comm("call", t, boss(t), "PH-SHK1", dur=rng.randint(30, 90), cid=cid("P7"),
               content=f"Guests on {WEEKDAY[(n0.weekday() + 1) % 7]} morning, {n} of them.")

    # the night walk and the drive to Lojane
    night = n0 + dt.timedelta(days=1)
    walk_start = b.minutes(n0, 21 * 60, 22 * 60 + 30)
    t = b.minutes(n0, 21 * 60 + 40, 22 * 60 + 20)
    b.comm("call", t, "PH-W1", dphone, dur=rng.randint(20, 60), cid=cid("N1"),
           cells={"PH-W1": "L-CS-GEV-S"},
           content="Deki: we are walking; be there at half past one.")
    pickup = b.minutes(night, 60 + 15, 60 + 50)
    b.comm("call", pickup - dt.timedelta(minutes=8), "PH-W1", dphone, dur=rng.randint(15, 40),
           cid=cid("N2"), cells={"PH-W1": "L-CS-GEV-N", dphone: "L-CS-GEV-N"})
    if gid == VAN_GROUP:
        return  # the van night is written by hand (core_van)
    b.comm("message", pickup + dt.timedelta(minutes=rng.randint(3, 9)), dphone, boss(pickup),
           app="whatsapp" if dphone == "PH-D1" else "sms", cid=cid("N3"),
           cells={dphone: "L-CS-GEV-N"}, content=f"Loaded {n}. Going.")
    if dphone == "PH-D1":
        t = b.minutes(pickup, 40, 60)
        b.comm("call", t, "PH-D2", dphone, dur=rng.randint(15, 45), cid=cid("N4"),
               cells={"PH-D2": "L-CS-NEG"}, content="Ace: Negotino is clear.")
    if dphone != "PH-D1":
        for minutes, cell, text in ((55, "L-CS-VEL", "Veles passed."),
                                    (95, "L-CS-SKP", "Skopje passed.")):
            t = pickup + dt.timedelta(minutes=minutes + rng.randint(-8, 8))
            b.comm("message", t, dphone, boss(t), cid=cid(f"N{cell[-3:]}"),
                   cells={dphone: cell}, content=text)
    arrive = b.minutes(pickup, 150, 175)
    lojane = "L-LOJ-SH2" if post else "L-LOJ-SH"
    keeper = "PH-W2-B" if post else "PH-SHK1"
    b.comm("call", arrive - dt.timedelta(minutes=6), dphone, keeper, dur=rng.randint(15, 40),
           cid=cid("N5"), cells={dphone: "L-CS-LOJ", keeper: "L-CS-LOJ"})
    b.comm("message", arrive + dt.timedelta(minutes=rng.randint(10, 25)), dphone,
           boss(arrive), app="whatsapp" if dphone == "PH-D1" else "sms", cid=cid("N6"),
           cells={dphone: "L-CS-LOJ"},
           content="Delivered. Miri has them." if post else "Delivered. Ramo has them.")
    src_mk = period_source(arrive, "D-CELL")
    # the number of people is known from message contents: the extraction or the wiretaps
    known = n if (dphone == "PH-D1" or src_mk != "D-CELL") else None
    if src_mk is None:
        src_mk = "skip"
    b.trip(f"T-{gid}-WALK" if core else f"TX-{gid}-WALK", walk_start, pickup, "L-IDO",
           "L-GEV-PICK", "foot", driver="P-W1", count=known, source=src_mk, confidence="B3",
           description="Deki's phone moves from the border cell to the pick-up point.")
    b.trip(f"T-{gid}-VAN" if core else f"TX-{gid}-VAN", pickup, arrive, "L-GEV-PICK", lojane,
           "vehicle", vehicle=van, driver=driver, count=known, source=src_mk, confidence="B3",
           description="The driver's phone moves north along the A1 to Lojane at night.")
    if dphone == "PH-D1":
        b.trip(f"T-{gid}-SCOUT" if core else f"TX-{gid}-SCOUT",
               pickup - dt.timedelta(minutes=10), arrive - dt.timedelta(minutes=20),
               "L-GEV-PICK", "L-KUM", "vehicle", vehicle="V-CAR2", driver="P-D2",
               source=src_mk, confidence="B3",
               description="Ace's phone travels the same cells a few minutes ahead of the van.")

    # crossing into Serbia
    cross = (night + dt.timedelta(days=nights)).replace(hour=0, minute=0)
    if not post:
        t = b.minutes(cross, 14 * 60, 16 * 60 + 30)
        b.comm("call", t, boss(t), "PH-OFF", dur=rng.randint(20, 60), cid=cid("X1"),
               cells={"PH-OFF": "L-CS-TAB"},
               content="Bato: 'Is it quiet tonight?' Zlatko: 'Call me at ten.'")
        t = b.minutes(cross, 21 * 60 + 45, 22 * 60 + 10)
        b.comm("message", t, "PH-OFF", boss(t), cid=cid("X2"), cells={"PH-OFF": "L-CS-TAB"},
               content="Clear from 23 to 3.")
    t = b.minutes(cross, 17 * 60, 19 * 60)
    b.comm("call", t, boss(t), w2(t), dur=rng.randint(40, 100), cid=cid("X3"),
           content=f"Tonight, {n}, after eleven.")
    t = b.minutes(cross, 19 * 60, 20 * 60 + 30)
    b.comm("call", t, boss(t), "PH-SHK2", dur=rng.randint(40, 150), cid=cid("X4"),
           content=f"{n} tonight; your driver at Miratovac at three.")
    t = b.minutes(cross, 20 * 60, 21 * 60)
    b.comm("call", t, "PH-SHK2", "PH-D3", dur=rng.randint(30, 90), cid=cid("X5"))
    if not post:
        t = b.minutes(cross, 22 * 60 + 20, 22 * 60 + 50)
        b.comm("call", t, w2(t), "PH-SHK1", dur=rng.randint(15, 40), cid=cid("X6"),
               cells={w2(t): "L-CS-LOJ", "PH-SHK1": "L-CS-LOJ"})
    go = b.minutes(cross, 23 * 60, 23 * 60 + 30)
    b.comm("message", go, w2(go), boss(go), cid=cid("X7"), cells={w2(go): "L-CS-LOJ"},
           content="Going.")
    over = b.minutes(cross, 26 * 60 + 10, 26 * 60 + 50)
    b.comm("message", over, w2(over), boss(over), cid=cid("X8"), cells={w2(over): "L-CS-LOJ"},
           content="Over. The Serb has them.")
    if gid in GIMI_TAXI_GROUPS:
        t = over + dt.timedelta(minutes=rng.randint(5, 15))
        b.comm("call", t, w2(t), "PH-GIMI-A", dur=rng.randint(20, 50), cid=cid("X9"),
               content="Miri: three of them to the bus station in Presevo.")
    src_w2 = period_source(over, "D-CELL")
    b.trip(f"T-{gid}-HILLS" if core else f"TX-{gid}-HILLS", go, over, lojane, "L-MIRATOVAC",
           "foot", driver="P-W2", count=known, source=src_w2, confidence="B3",
           description="Miri's phone leaves the Lojane cell towards the Serbian border at night.")
    pick_rs = over + dt.timedelta(minutes=rng.randint(15, 35))
    b.comm("call", pick_rs, "PH-D3", "PH-SHK2", dur=rng.randint(15, 40), cid=cid("X10"))
    arrive_bg = pick_rs + dt.timedelta(minutes=rng.randint(330, 400))
    b.comm("message", arrive_bg, "PH-D3", "PH-SHK2", cid=cid("X11"), content="Here.")

    # the "OK" from Belgrade and the release of the guarantee
    g["arrive_bg"] = arrive_bg
    ok = arrive_bg + dt.timedelta(minutes=rng.randint(90, 240))
    g["ok1"] = ok
    sarrafs = ["PH-SAR-HRT", "PH-SAR-KBL", "PH-SAR-GUJ"]
    for k, sar in enumerate(rng.sample(sarrafs, 2)):
        b.comm("message", ok + dt.timedelta(minutes=7 * k), sar, "PH-HAW", app="whatsapp",
               cid=cid(f"OK1{'ab'[k]}"), content=f"OK from Belgrade, group of {wd} ({gid}).")
    t = ok + dt.timedelta(minutes=rng.randint(40, 90))
    b.comm("message", t, "PH-HAW", "PH-HAJ", app="whatsapp", cid=cid("OK1c"),
           content=f"OK for {n}. I pay Bato his part.")
    t2 = t + dt.timedelta(minutes=rng.randint(10, 40))
    if gid != LAST_GROUP_BEFORE_ARREST:
        b.comm("call", t2, "PH-HAJ", boss(t2), dur=rng.randint(40, 120), cid=cid("OK1d"),
               content=f"Hajji: OK from Belgrade for the {n}; Kadir pays today.")
    release = core and gid <= LAST_RELEASED_GROUP
    if not core:
        release = ok <= LEDGER_END - dt.timedelta(days=2)
    g["release1"] = None
    if release:
        rel = t2 + dt.timedelta(minutes=rng.randint(60, 180))
        g["release1"] = rel
        leg1_release(b, g, rel)
        t = rel + dt.timedelta(minutes=rng.randint(20, 60))
        b.comm("call", t, "PH-MTA", "PH-HAW", dur=rng.randint(40, 150), cid=cid("OK1e"),
               cells={"PH-MTA": "L-CS-KUM"})
        t = rel + dt.timedelta(minutes=rng.randint(90, 200))
        b.comm("call", t, boss(t), "PH-MTA", dur=rng.randint(20, 60), cid=cid("OK1f"),
               content="Bato: 'Is it there?' Bekim: 'Come after six.'")
        if dphone == "PH-D1":
            t = rel + dt.timedelta(hours=rng.randint(2, 5))
            b.comm("message", t, boss(t), dphone, app="whatsapp", cid=cid("OK1g"),
                   content="OK came from Belgrade. Your money is at Bekim's tomorrow.")
            b.comm("message", t + dt.timedelta(minutes=rng.randint(2, 50)), dphone, boss(t),
                   app="whatsapp", cid=cid("OK1h"), content="Ok thanks.")
        payouts(b, g, rel, driver)

    # the northern leg
    leave_bg = (arrive_bg + dt.timedelta(days=rng.randint(2, 4))).replace(hour=0, minute=0)
    g["leave_bg"] = leave_bg
    t = b.minutes(leave_bg - dt.timedelta(days=1), 10 * 60, 18 * 60)
    b.comm("call", t, boss(t), "PH-SHK2", dur=rng.randint(60, 200), cid=cid("L1"),
           content=f"The {n} go north on {WEEKDAY[leave_bg.weekday()]}.")
    t = b.minutes(leave_bg, 9 * 60, 12 * 60)
    b.comm("call", t, "PH-SHK2", "PH-D4", dur=rng.randint(30, 120), cid=cid("L2"))
    n2 = n - (1 if gid == TARIQ_GROUP else 0)
    if gid in DOCUMENT_GROUPS:
        t = b.minutes(leave_bg - dt.timedelta(days=2), 10 * 60, 17 * 60)
        b.comm("call", t, "PH-SHK2", "PH-FRG", dur=rng.randint(30, 90), cid=cid("L3"),
               content="Four cards by Friday.")
        b.comm("call", t + dt.timedelta(hours=2), boss(t), "PH-FRG", dur=rng.randint(30, 90),
               cid=cid("L4"), content="Bato: 'Nesa sends you the photos of four; Bulgarian.'")
    success = None
    if branch == "HU":
        t = b.minutes(leave_bg, 12 * 60, 18 * 60)
        b.comm("call", t, "PH-SHK2", "PH-SHK3", dur=rng.randint(30, 120), cid=cid("L5"))
        attempt = leave_bg + dt.timedelta(days=rng.randint(1, 2))
        for k in range(3):
            tt = b.minutes(attempt, 21 * 60, 22 * 60)
            b.comm("call", tt, "PH-SHK2", "PH-W3", dur=rng.randint(20, 80),
                   cid=cid(f"H{k}a"))
            fail = k < 2 and rng.random() < 0.45
            res = tt + dt.timedelta(hours=rng.randint(5, 7))
            b.comm("message", res, "PH-W3", "PH-SHK2", cid=cid(f"H{k}b"),
                   content="Pushed back." if fail else "All over.")
            if fail:
                src = period_source(res, "D-DETLOG") if res < ARREST else None
                if src:
                    b.detect(f"DET-{gid}-PB{k}" if core else f"DETX-{gid}-{k}",
                             res - dt.timedelta(hours=2), rng.choice(["L-KEL", "L-HOR"]),
                             "pushback", count=n2 - rng.randint(0, 2), source=src,
                             confidence="B2", description="Hungarian police return a group "
                             "to the Serbian side of the fence (information via Europol).")
                attempt = res.replace(hour=0, minute=0) + dt.timedelta(days=rng.randint(2, 4))
                continue
            success = res
            break
    else:
        drina = b.minutes(leave_bg, 22 * 60, 23 * 60 + 30)
        g["drina"] = drina
        b.comm("call", drina - dt.timedelta(hours=3), boss(drina), "PH-W4",
               dur=rng.randint(30, 100), cid=cid("B1"),
               content=f"Skeledzija: '{n} tonight? The water is high.'")
        b.comm("call", drina - dt.timedelta(hours=2), "PH-SHK2", "PH-W4",
               dur=rng.randint(30, 100), cid=cid("B2"))
        b.comm("message", drina + dt.timedelta(hours=1), "PH-W4", boss(drina), cid=cid("B3"),
               content="Over the river.")
        games = drina + dt.timedelta(days=rng.randint(5, 9))
        for k in range(4):
            fail = k < 3 and rng.random() < 0.6
            if fail:
                src = period_source(games, "D-DETLOG") if games < ARREST else None
                if src:
                    b.detect(f"DET-{gid}-PB{k}" if core else f"DETX-{gid}-{k}", games,
                             "L-VK-BRD", "pushback", count=n - rng.randint(0, 3), source=src,
                             confidence="B3", description="Croatian police return a group to "
                             "Bosnia and Herzegovina (information from the BiH border police).")
                games += dt.timedelta(days=rng.randint(3, 6))
                continue
            success = games + dt.timedelta(days=1)
            break
    g["success"] = success
    if success is None:
        return
    ok2 = success + dt.timedelta(hours=rng.randint(9, 14))
    where = "Hungary" if branch == "HU" else "Slovenia"
    sar = rng.choice(["PH-SAR-HRT", "PH-SAR-KBL", "PH-SAR-GUJ"])
    b.comm("message", ok2, sar, "PH-HAW", app="whatsapp", cid=cid("OK2a"),
           content=f"OK from {where}, {gid}.")
    t = ok2 + dt.timedelta(minutes=rng.randint(30, 120))
    b.comm("call", t, "PH-HAJ", boss(t), dur=rng.randint(40, 160), cid=cid("OK2b"),
           content=f"Hajji: OK from {where} for {n2}; Kadir pays tomorrow.")
    if release and ok2 + dt.timedelta(days=1) <= LEDGER_END:
        rel2 = b.minutes((ok2 + dt.timedelta(days=1)).replace(hour=0, minute=0),
                         10 * 60, 17 * 60)
        leg2_release(b, g, rel2, n2, where)
    g["ok2"] = ok2


def release_row(b: Builder, g: dict, leg: int, when: dt.datetime, persons: int, where: str):
    """Release the guarantee of one leg to Bato's accounts, through MTO or hawala."""
    amount = persons * (RELEASE_LEG1 if leg == 1 else RELEASE_LEG2)
    by_mto = (int(g["gid"][1:]) + leg) % 2 == 0 if g["core"] else b.rng.random() < 0.5
    pid = f"PAY-REL-{g['gid']}-{leg}" if g["core"] else f"PAYX-REL-{g['gid']}-{leg}"
    if by_mto:
        b.pay(pid, when, payer_account="AC-HAW", payee="P-BRK", payee_account="AC-BRK-MTO",
              amount=amount, channel="money_transfer", source="D-MTO", confidence="A1",
              purpose="Family support",
              description="Sent by Kervan Doviz Ltd., Istanbul; paid out in cash at the "
              "Kumanovo counter against the identity card of Selim Bajrami.")
    else:
        b.pay(pid, when, payer_account="AC-HAW", payee="P-BRK", payee_account="AC-BRK-HWL",
              amount=amount, channel="hawala", source="D-HAW", confidence="B2",
              purpose=f"Bato / {persons} pax / OK {where}",
              description="Ledger line: settled through the Kumanovo agent, paid out in cash.")


def leg1_release(b: Builder, g: dict, when: dt.datetime) -> None:
    """Deposits for the first leg, and their release after the "OK" from Belgrade."""
    deposits(b, g, 1)
    release_row(b, g, 1, when, g["n"], "Belgrade")


def leg2_release(b: Builder, g: dict, when: dt.datetime, persons: int, where: str) -> None:
    """Deposits for the second leg, and their release after the "OK" from the EU."""
    deposits(b, g, 2, persons)
    release_row(b, g, 2, when, persons, where)


def deposits(b: Builder, g: dict, leg: int, persons: int | None = None) -> None:
    """Book the families' guarantee deposits, collected by partner exchangers abroad."""
    rng = b.rng
    persons = persons if persons is not None else g["n"]
    if leg == 1:
        first = g["n0"] - dt.timedelta(days=rng.randint(6, 12))
        price = DEPOSIT_LEG1
    else:
        first = g["arrive_bg"] + dt.timedelta(hours=rng.randint(4, 30))
        price = DEPOSIT_LEG2[g["branch"]]
    parts = [persons // 2, persons - persons // 2] if persons > 3 else [persons]
    payers = rng.sample(["O-SAR-HRT", "O-SAR-KBL", "O-SAR-GUJ"], len(parts))
    for k, (count, payer) in enumerate(zip(parts, payers, strict=True)):
        if leg == 1 and g["gid"] == TARIQ_GROUP and k == 0:
            count -= 1
            b.pay("PAY-DEP-TARIQ", first - dt.timedelta(days=1), payer="P-TARIQ-FATH",
                  payee_account="AC-HAW", amount=DEPOSIT_LEG1, currency="USD", channel="hawala",
                  purpose="Guarantee Tariq, Greece to Belgrade", source="D-HAW",
                  confidence="B2", description="Deposit for one person, first leg only.")
        pid = (f"PAY-DEP-{g['gid']}-{leg}{'abc'[k]}" if g["core"]
               else f"PAYX-DEP-{g['gid']}-{leg}{'abc'[k]}")
        b.pay(pid, first + dt.timedelta(hours=5 * k), payer=payer, payee_account="AC-HAW",
              amount=count * price, currency="USD", channel="hawala",
              purpose=f"Guarantee {count} pax, leg {leg}", source="D-HAW", confidence="B2",
              description="Deposit booked by the partner exchanger; held until \"OK\".")


def payouts(b: Builder, g: dict, rel: dt.datetime, driver: str) -> None:
    """Bato pays the people who worked on the group, through the Kumanovo agent."""
    rng = b.rng
    n, gid = g["n"], g["gid"]
    day = (rel + dt.timedelta(days=1)).replace(hour=0, minute=0)
    rows = [
        (driver, 400, "Driver"),
        ("P-W1", 30 * n, "Walker at the Greek border"),
        ("P-SHK1", 15 * n * max(g["nights"], 1), "Safe house Lojane"),
        ("P-W2", 40 * n, "Walker to Serbia"),
        ("P-OFF-WIFE", 500, "The sergeant's wife"),
        ("P-SHK2", 350 * n, "Serbian part of the route"),
    ]
    if g["branch"] == "BA":
        rows.append(("P-W4", 150 * n, "Drina crossing"))
    if gid in DOCUMENT_GROUPS:
        rows.append(("P-FRG", 4 * 120, "Four false identity cards"))
    for k, (payee, amount, _what) in enumerate(rows):
        when = b.minutes(day, 9 * 60 + 30 * k, 10 * 60 + 30 * k)
        if when > LEDGER_END:
            continue
        pid = f"PAY-OUT-{gid}-{k + 1}" if g["core"] else f"PAYX-OUT-{gid}-{k + 1}"
        cross = payee in ("P-SHK2", "P-FRG", "P-W4")
        where = "abroad" if cross else "at the Kumanovo counter"
        b.pay(pid, when + dt.timedelta(minutes=rng.randint(0, 9)), payer="P-BRK",
              payer_account="AC-BRK-MTO", payee=payee, amount=amount,
              channel="money_transfer", source="D-MTO", confidence="A1",
              purpose="Family support" if cross else "Gift",
              description=f"Paid out in cash {where}.")


# --------------------------------------------------------------------------- core story


def core_van(b: Builder) -> None:
    """Write the night of 10-11 June 2024: the van, the interception, the statements."""
    b.comm("message", at("2024-06-09 18:02"), "PH-BRK-B", "PH-D1", app="whatsapp",
           cid="C-VAN-1", content="Tomorrow night 13. Two families with small children. "
           "Petrol station north, 01:30. Ramo waits in Lojane.")
    b.comm("message", at("2024-06-09 18:05"), "PH-D1", "PH-BRK-B", app="whatsapp",
           cid="C-VAN-2", content="13 is too many for the box. Nine max.")
    b.comm("message", at("2024-06-09 18:07"), "PH-BRK-B", "PH-D1", app="whatsapp",
           cid="C-VAN-3", content="Make them fit. The children sit on the knees. "
           "500 this time, not 400.")
    b.comm("message", at("2024-06-09 18:09"), "PH-D1", "PH-BRK-B", app="whatsapp",
           cid="C-VAN-4", content="Ok.")
    b.comm("message", at("2024-06-11 01:44"), "PH-D1", "PH-BRK-B", app="whatsapp",
           cid="C-VAN-5", content="Loaded 13. Going.")
    b.comm("call", at("2024-06-11 02:20"), "PH-D2", "PH-D1", dur=38, cid="C-VAN-6",
           content=None)
    b.comm("message", at("2024-06-11 03:12"), "PH-D1", "PH-BRK-B", app="whatsapp",
           cid="C-VAN-7", content="Police behind me at Veles.")
    b.comm("call", at("2024-06-11 03:14"), "PH-BRK-B", "PH-D1", dur=35, app="whatsapp",
           cid="C-VAN-8")
    # the phone keeps receiving after the seizure; the investigators record it
    b.comm("message", at("2024-06-11 03:40"), "PH-BRK-B", "PH-D1", app="whatsapp",
           cid="C-VAN-9", content="Delete everything.", source="D-EXT",
           description="Received after the phone was seized (shown on the locked screen).")
    b.comm("call", at("2024-06-11 04:02"), "PH-SHK1", "PH-D1", dur=0, cid="C-VAN-10",
           source="D-EXT", description="Missed call after the seizure.")

    b.trip("T-VAN-WALK", at("2024-06-10 21:50"), at("2024-06-11 01:35"), "L-IDO", "L-GEV-PICK",
           "foot", passengers=VAN_PASSENGERS, count=13, source="D-ST-SOHAIL",
           confidence="B2", description="Night walk from Idomeni along the railway with "
           "\"Deki\"; the children were carried.")
    b.trip("T-G11-WALK", at("2024-06-10 21:50"), at("2024-06-11 01:35"), "L-IDO", "L-GEV-PICK",
           "foot", driver="P-W1", passengers=VAN_PASSENGERS, count=13, source="D-CELL",
           confidence="B3", description="Deki's phone is on the border cell at 22:07 and at the "
           "pick-up point at 01:41, when the thirteen say \"Deki\" walked them there.")
    b.trip("T-VAN", at("2024-06-11 01:45"), at("2024-06-11 03:20"), "L-GEV-PICK", "L-A1-VELES",
           "vehicle", vehicle="V-VAN1", driver="P-D1", passengers=VAN_PASSENGERS, count=13,
           source="D-POL-INT", confidence="A1",
           description="Thirteen people, three of them under 18, in a windowless "
           "compartment behind a false wall.")
    b.detect("DET-INT", at("2024-06-11 03:20"), "L-A1-VELES", "interception", vehicle="V-VAN1",
             persons=["P-D1", *VAN_PASSENGERS], count=14, source="D-POL-INT",
             description="Thirteen people in a hidden compartment of 2.1 m3 without windows or "
             "ventilation; two children and one adult needed oxygen.")
    b.detect("DET-ARR-D1", at("2024-06-11 03:35"), "L-A1-VELES", "arrest", vehicle="V-VAN1",
             persons=["P-D1"], count=1, source="D-POL-INT",
             description="The driver is arrested; his phone is seized and sealed.")
    b.detect("DET-REG", at("2024-06-11 11:30"), "L-VINOJUG", "registration",
             persons=VAN_PASSENGERS, count=13, source="D-POL-INT",
             description="The thirteen passengers are registered; the unaccompanied child is "
             "referred to the social work centre.")
    b.link("LK-U-V-VAN1", "uses", "P-D1", "V-VAN1", source="D-POL-INT", confidence="A1",
           description="Driving the van when stopped.")
    b.link("LK-O-V-VAN1", "owns", "P-D1-BRO", "V-VAN1", source="D-VEH", confidence="A1",
           description="Registered owner.")
    b.link("LK-F-D1-WIFE", "family", "P-D1", "P-D1-WIFE", source="D-POL-INT", confidence="A1",
           description="Married.")
    b.link("LK-F-D1-MOTH", "family", "P-D1", "P-D1-MOTH", source="D-POL-INT", confidence="A1",
           description="Mother.")
    b.link("LK-F-D1-BRO", "family", "P-D1", "P-D1-BRO", source="D-VEH", confidence="A1",
           description="Brother.")
    fam = [("P-YOUSEF", "P-RANIA", "Married."), ("P-YOUSEF", "P-LINA", "Father and daughter."),
           ("P-YOUSEF", "P-ADAM", "Father and son."), ("P-RANIA", "P-LINA", "Mother and daughter."),
           ("P-RANIA", "P-ADAM", "Mother and son."),
           ("P-YOUSEF", "P-YOUSEF-BRO", "Brothers.")]
    for a, c, text in fam:
        b.link(f"LK-F-{a[2:]}-{c[2:]}", "family", a, c, source="D-ST-YOUSEF",
               confidence="B2", description=text)
    b.link("LK-F-NASIR-UNC", "family", "P-NASIR", "P-NASIR-UNC", source="D-ST-NASIR",
           confidence="B2", description="Uncle.")
    b.link("LK-F-OMID-UNC", "family", "P-OMID", "P-OMID-UNC", source="D-ST-OMID",
           confidence="B2", description="Uncle in Hamburg.")
    b.link("LK-F-SOHAIL-COU", "family", "P-SOHAIL", "P-SOHAIL-COU", source="D-ST-SOHAIL",
           confidence="B2", description="Cousin in London.")

    # what the statements say about money and messages
    b.pay("PAY-DEP-VAN-YOUSEF", at("2024-06-03 12:00"), payer="P-YOUSEF-BRO",
          payee_account="AC-HAW", amount=9000, channel="hawala", source="D-ST-YOUSEF",
          confidence="B2", purpose="Guarantee for four, Greece to Serbia",
          description="Paid in cash to a man of the Istanbul shop in Essen.")
    b.pay("PAY-DEP-VAN-OMID", at("2024-06-01 15:00"), payer="P-OMID-UNC",
          payee_account="AC-HAW", amount=2600, channel="hawala", source="D-ST-OMID",
          confidence="B3", purpose="Guarantee for Omid, Greece to Serbia",
          description="Omid heard his uncle say the amount on the phone.")
    b.pay("PAY-DEP-VAN-NASIR", at("2024-06-04 10:00"), payer="P-NASIR-UNC",
          payee_account="AC-HAW", amount=2800, currency="USD", channel="hawala",
          source="D-ST-NASIR", confidence="B2", purpose="Guarantee for Nasir, Greece to Serbia",
          description="Paid at a money exchanger in Herat who works with the Istanbul shop.")
    b.pay("PAY-DEP-VAN-SOHAIL", at("2024-06-05 17:00"), payer="P-SOHAIL-COU",
          payee_account="AC-HAW", amount=2500, channel="hawala", source="D-ST-SOHAIL",
          confidence="B2", purpose="Guarantee for Sohail, Greece to Belgrade",
          description="Paid in London to a contact of the Istanbul shop.")
    b.pay("PAY-DEP-VAN-REST", at("2024-06-05 11:00"), payer="O-SAR-KBL",
          payee_account="AC-HAW", amount=6 * DEPOSIT_LEG1, currency="USD", channel="hawala",
          source="D-HAW", confidence="B2", purpose="Guarantee 6 pax, leg 1",
          description="Deposit booked by the partner exchanger; held until \"OK\".")
    for payer, amount, cur in (("P-YOUSEF-BRO", 8100, "EUR"), ("P-OMID-UNC", 2340, "EUR"),
                               ("P-NASIR-UNC", 2520, "USD"), ("P-SOHAIL-COU", 2250, "EUR")):
        b.pay(f"PAY-REF-{payer[2:]}", at("2024-06-18 12:00") + dt.timedelta(hours=len(payer)),
              payer_account="AC-HAW", payee=payer, amount=amount, currency=cur,
              channel="hawala", source="D-HAW", confidence="B2",
              purpose="Returned: client caught",
              description="The guarantee goes back to the family, less the shop's 10%.")
    b.pay("PAY-REF-SAR-KBL", at("2024-06-19 10:00"), payer_account="AC-HAW", payee="O-SAR-KBL",
          amount=15120, currency="USD", channel="hawala", source="D-HAW", confidence="B2",
          purpose="Returned: 6 clients caught",
          description="Returned to the Kabul partner for the families, less the shop's 10%.")
    b.comm("message", at("2024-06-08 20:14"), "PH-REC", "PH-SOHAIL", app="whatsapp",
           cid="C-ST-SOH-1", source="D-ST-SOHAIL", confidence="B2",
           content="Brother, Monday is the game. Go to Polykastro on Sunday, the taxi is paid.")
    b.comm("message", at("2024-06-08 20:31"), "PH-SOHAIL", "PH-REC", app="whatsapp",
           cid="C-ST-SOH-2", source="D-ST-SOHAIL", confidence="B2",
           content="Is it the van or the train? Last time people were 20 in a van.")
    b.comm("message", at("2024-06-08 20:35"), "PH-REC", "PH-SOHAIL", app="whatsapp",
           cid="C-ST-SOH-3", source="D-ST-SOHAIL", confidence="B2",
           content="Good van, 8 people only. Bato's people are serious. Your money is safe "
           "with Hajji until you say OK.")
    b.comm("message", at("2024-06-09 09:02"), "PH-REC", "PH-MUSTAFA", app="whatsapp",
           cid="C-ST-SOH-4", source="D-ST-SOHAIL", confidence="B3",
           content="Sunday Polykastro, take Zahir with you.")
    b.comm("message", at("2024-06-09 09:05"), "PH-REC", "PH-ZAHIR", app="whatsapp",
           cid="C-ST-SOH-5", source="D-ST-SOHAIL", confidence="B3",
           content="Sunday Polykastro with Mustafa.")
    b.comm("call", at("2024-06-10 19:40"), "PH-YOUSEF", "PH-YOUSEF-BRO", dur=420,
           app="whatsapp", cid="C-ST-YOU-1", source="D-ST-YOUSEF", confidence="B2",
           content="Yousef tells his brother they cross tonight.")
    b.comm("call", at("2024-06-10 20:05"), "PH-NASIR", "PH-NASIR-UNC", dur=190,
           app="whatsapp", cid="C-ST-NAS-1", source="D-ST-NASIR", confidence="B2")

    # Nasir's journey through Bosnia and Herzegovina in 2023
    b.trip("T-NASIR-1", at("2023-10-16 22:00"), at("2023-10-17 01:30"), "L-BG", "L-MZV",
           "vehicle", count=11, source="D-ST-NASIR", confidence="B2",
           description="Driven from Belgrade to the Drina in a van; driver not known.")
    b.trip("T-NASIR-DRINA", at("2023-10-17 02:10"), at("2023-10-17 02:40"), "L-DRINA", "L-ZVO",
           "boat", vehicle="V-BOAT", passengers=["P-NASIR"], count=11,
           source="D-ST-NASIR", confidence="B2",
           description="Eleven people in a small inflatable boat across the Drina at night, "
           "steered by a man called \"Skeledzija\"; the boat took in water and one man fell "
           "into the river.")
    b.trip("T-NASIR-2", at("2023-10-17 09:00"), at("2023-10-17 17:00"), "L-ZVO", "L-BIH",
           "vehicle", passengers=["P-NASIR"], count=8, source="D-ST-NASIR",
           confidence="B3", description="Driven to Bihac by a man called \"Emir\".")
    b.link("LK-S-NASIR-BIH", "stays_at", "P-NASIR", "L-BIH-SH", start="2023-10-17",
           end="2023-11-20", source="D-ST-NASIR", confidence="B2",
           description="Waited in Seki's house between attempts.")
    for k, day in enumerate(["2023-10-28", "2023-11-06", "2023-11-15"]):
        b.trip(f"T-NASIR-GAME{k + 1}", at(day + " 20:00"), at(day + " 23:50"), "L-VK",
               "L-VK-BRD", "foot", passengers=["P-NASIR"], count=9, source="D-ST-NASIR",
               confidence="B2", description="\"The game\" with a guide called Haris.")
        b.detect(f"DET-NASIR-PB{k + 1}", at(day + " 23:50") + dt.timedelta(days=1),
                 "L-VK-BRD", "pushback", persons=["P-NASIR"], count=9, source="D-ST-NASIR",
                 confidence="B2", description="Caught in Croatia and pushed back; phones "
                 "and money taken.")


def core_phase2(b: Builder) -> None:
    """Write what only the driver's phone shows: the new numbers."""
    b.comm("message", at("2024-04-15 10:05"), "PH-W2-B", "PH-D1", cid="C-EXT-W2NEW",
           content="Miri. New number.")
    b.comm("message", at("2024-05-20 09:14"), "PH-BRK-B", "PH-D1", app="whatsapp",
           cid="C-EXT-NEWNUM", content="Bato. New number, delete the old one.")
    b.comm("message", at("2024-05-20 09:20"), "PH-D1", "PH-BRK-B", app="whatsapp",
           cid="C-EXT-NEWNUM2", content="Ok. Deleted.")
    b.comm("message", at("2024-05-09 22:10"), "PH-D1", "PH-D1-WIFE", app="whatsapp",
           cid="C-EXT-WIFE", content="Late tonight again, work for Bato. Don't wait.")


def core_phase3(b: Builder) -> None:
    """Links and records first released with the call detail records."""
    b.link("LK-F-BRK-WIFE", "family", "P-BRK", "P-BRK-WIFE", source="D-CDR", confidence="A1",
           description="Married (civil register).")
    b.link("LK-F-BRK-BRO", "family", "P-BRK", "P-BRK-BRO", source="D-CDR", confidence="A1",
           description="Brothers (civil register).")
    b.link("LK-F-SHK1-W2", "family", "P-SHK1", "P-W2", source="D-CDR", confidence="A1",
           description="Uncle and nephew (civil register).")
    b.link("LK-F-W2-FATH", "family", "P-W2", "P-W2-FATH", source="D-CDR", confidence="A1",
           description="Father and son.")
    b.link("LK-F-OFF-WIFE", "family", "P-OFF", "P-OFF-WIFE", source="D-CDR", confidence="A1",
           description="Married (civil register).")
    b.link("LK-E-OFF", "employed_by", "P-OFF", "O-BP", source="D-CDR", confidence="A1",
           description="Sergeant, border police station in the north (fictional).")
    b.link("LK-E-MTA", "employed_by", "P-MTA", "O-MTO", source="D-CDR", confidence="A1",
           description="Manager of the counter.")
    b.link("LK-O-AUDI", "owns", "P-BRK", "V-AUDI", source="D-CDR", confidence="A1",
           description="Vehicle register.")
    b.link("LK-U-CAR2", "uses", "P-D2", "V-CAR2", source="D-CELL", confidence="B2",
           description="Registered to Ace; seen at the toll stations on the nights of the trips.")
    b.link("LK-O-LOJ", "owns", "P-SHK1", "L-LOJ-SH", source="D-CELL", confidence="A1",
           description="Land register.")
    b.link("LK-U-V-D3", "uses", "P-D3", "V-D3", source="D-CDR", confidence="B2",
           description="Vehicle register (JIT).")
    for k, (day, count) in enumerate((("2024-03-28 23:40", 9), ("2024-05-06 00:50", 12),
                                      ("2024-06-25 23:15", 7))):
        b.detect(f"DET-GEV-{k + 1}", at(day), "L-GEV-BRD", "border_detection", count=count,
                 source="D-DETLOG", confidence="A1",
                 description="A group is seen crossing at the railway line; it runs back to "
                 "the Greek side.")
    b.link("LK-A-SHK2-SHK3", "associate", "P-SHK2", "P-SHK3", source="D-CDR", confidence="B3",
           description="Regular calls; the Serbian police know them as partners (JIT).")


def core_phase4(b: Builder) -> None:
    """Accounts and relations first released with the financial intelligence."""
    b.link("LK-U-AC-BRK-MTO", "uses", "P-BRK", "AC-BRK-MTO", source="D-MTO", confidence="A1",
           description="Customer identified with his identity card at every payout.")
    b.link("LK-U-AC-BRK-HWL", "uses", "P-BRK", "AC-BRK-HWL", source="D-HAW", confidence="B2",
           description="The shop's ledger names \"Bato, Kumanovo\" and the agent who pays him.")
    b.link("LK-O-AC-BRK-BANK", "owns", "P-BRK", "AC-BRK-BANK", source="D-FIU", confidence="A1")
    b.link("LK-O-AC-D1-BANK", "owns", "P-D1", "AC-D1-BANK", source="D-FIU", confidence="A1")
    b.link("LK-O-AC-D2-BANK", "owns", "P-D2", "AC-D2-BANK", source="D-FIU", confidence="A1")
    b.link("LK-O-AC-OFF-BANK", "owns", "P-OFF", "AC-OFF-BANK", source="D-FIU", confidence="A1")
    b.link("LK-O-AC-HAW", "owns", "P-HAW", "AC-HAW", source="D-HAW", confidence="A1",
           description="The ledger is kept in the shop.")
    b.link("LK-O-O-HAW", "owns", "P-HAW", "O-HAW", source="D-HAW", confidence="A1")
    b.link("LK-A-HAJ-HAW", "associate", "P-HAJ", "P-HAW", source="D-HAW", confidence="B2",
           description="The ledger has a column \"Hajji\": his share of every release.")
    b.link("LK-E-D1", "employed_by", "P-D1", "O-EMP1", source="D-FIU", confidence="A1")
    # legitimate money: salaries, rent, shopping, leasing
    rng = b.rng
    for month in range(3, 8):
        day = D(2024, month, 5, 8, 0)
        if day < EXT_END:
            b.pay(f"PAY-L-D1-SAL-{month}", day, payer="O-EMP1", payee="P-D1",
                  payee_account="AC-D1-BANK", amount=31000, currency="MKD", channel="bank",
                  purpose=f"Salary {day.strftime('%B')}", source="D-FIU",
                  confidence="A1")
            b.pay(f"PAY-L-D1-RENT-{month}", day + dt.timedelta(days=2, hours=3), payer="P-D1",
                  payer_account="AC-D1-BANK", payee="P-LANDLORD", amount=9000, currency="MKD",
                  channel="bank", purpose="Rent", source="D-FIU", confidence="A1")
        b.pay(f"PAY-L-OFF-SAL-{month}", D(2024, month, 10, 8, 0), payer="O-BP", payee="P-OFF",
              payee_account="AC-OFF-BANK", amount=42500, currency="MKD", channel="bank",
              purpose="Salary", source="D-FIU", confidence="A1")
        b.pay(f"PAY-L-BRK-RENT-{month}", D(2024, month, 3, 10, 0), payer="P-TENANT",
              payee="P-BRK", payee_account="AC-BRK-BANK", amount=250, channel="bank",
              purpose="Shop rent", source="D-FIU", confidence="A1")
        b.pay(f"PAY-L-BRK-LEASE-{month}", D(2024, month, 15, 9, 0), payer="P-BRK",
              payer_account="AC-BRK-BANK", payee="O-LEASING", amount=690, channel="bank",
              purpose="Leasing Audi A6", source="D-FIU", confidence="A1")
    for k in range(5 * b.scale):
        r = rng if k < 5 else b.xrng
        t = D(2024, 3, 1, 9, 0) + dt.timedelta(days=r.randint(0, 150), hours=r.randint(0, 8))
        b.pay(f"PAY-L-BRK-CASH-{k + 1:02d}" if k < 5 else f"PAYX-L-BRK-CASH-{k + 1:03d}", t,
              payer="P-BRK", payee_account="AC-BRK-BANK",
              amount=r.choice([1900, 2400, 2900]), channel="cash", purpose="Cash deposit",
              source="D-FIU", confidence="A1",
              description="Cash paid in at the counter, always under the reporting threshold.")
    shops = [("P-D1", "AC-D1-BANK", "O-MARKET", EXT_END, 700, 4800),
             ("P-D2", "AC-D2-BANK", "O-FUEL", LEDGER_END, 1500, 3500)]
    for payer, acc, shop, end, lo, hi in shops:
        t = D(2024, 3, 2, 10, 0)
        k = 0
        while t < end:
            k += 1
            pid = f"PAY-L-{payer[2:]}-{shop[2:]}-{k:02d}"
            b.pay(pid, t, payer=payer, payer_account=acc, payee=shop,
                  amount=rng.randrange(lo, hi, 10), currency="MKD", channel="bank",
                  purpose="Card payment", source="D-FIU", confidence="A1")
            t += dt.timedelta(days=rng.randint(3, 8), hours=rng.randint(-2, 6))
    # the farm: Tariq's father pays the farmer
    for k, day in enumerate(["2024-05-10 14:20", "2024-06-12 11:05", "2024-07-15 16:40"]):
        b.pay(f"PAY-TARIQ-{k + 1}", at(day), payer="P-TARIQ-FATH", payee="P-SHK3", amount=300,
              channel="money_transfer", source="D-FIU", confidence="A1",
              purpose="For Tariq",
              description="Sent from Gujrat, Pakistan; paid out in Subotica (data via the JIT).")
    b.comm("message", at("2024-04-08 10:12"), "PH-TARIQ-FATH", "PH-HAW", app="whatsapp",
           cid="C-HAW-TARIQ", content="Tariq is in Belgrade, OK. For the Hungary part I have "
           "no money now.")
    b.comm("message", at("2024-04-08 10:40"), "PH-HAW", "PH-TARIQ-FATH", app="whatsapp",
           cid="C-HAW-TARIQ2", content="Then he works for it. Hajji's people give him work.")


def core_phase5(b: Builder) -> None:
    """Write the wiretaps, the arrests and what followed."""
    b.comm("call", at("2024-07-16 15:10"), "PH-BRK-B", "PH-OFF", dur=74, cid="C-WT-OFF",
           source="D-WT1", cells={"PH-BRK-B": "L-CS-KUM", "PH-OFF": "L-CS-TAB"},
           content="Bato: 'Is it quiet tonight?' Zlatko: 'From eleven to three nobody is on "
           "the Lojane road; I put the new boys at Tabanovce.' Bato: 'Your envelope is at "
           "Bekim's, in your wife's name as always.'")
    b.comm("call", at("2024-07-23 20:41"), "PH-BRK-B", "PH-SHK3", dur=212, cid="C-WT-TARIQ",
           source="D-WT1", cells={"PH-BRK-B": "L-CS-KUM"},
           content="Laza says the Pakistani is sick and wants to leave. Bato: 'He stays and "
           "works until the 2,000 are paid. No phone, no passport. His father sent 900 in "
           "three months; that is nothing.' Laza: 'Then he sleeps in the barn and works the "
           "fields.'")
    b.comm("call", at("2024-07-26 12:02"), "PH-BRK-B", "PH-FRG", dur=96, cid="C-WT-FRG",
           source="D-WT1", cells={"PH-BRK-B": "L-CS-KUM"},
           content="Bato orders four Bulgarian identity cards; Graficar: '480, photos by "
           "Wednesday, the cards are better than the real ones.'")
    b.comm("call", at("2024-08-05 19:30"), "PH-HAJ", "PH-BRK-B", dur=143, cid="C-WT-G16",
           source="D-WT1", cells={"PH-BRK-B": "L-CS-KUM"},
           content="Hajji: 'The eight sent OK from Belgrade. Kadir pays you tomorrow "
           "morning.' Bato: 'Good, then I pay Nesa.'")
    settle = at("2024-07-29 09:15")
    cash = sum(p["amount"] for p in b.payments if p["payee_account"] == "AC-BRK-HWL"
               and p["time"].month == settle.month and p["time"] < settle)
    b.comm("call", settle, "PH-MTA", "PH-HAW", dur=188, cid="C-WT-MTA", source="D-WT1",
           cells={"PH-MTA": "L-CS-KUM"},
           content=f"Bekim and Kadir settle their books: 'For Bato {cash:,} this month, all "
           "paid out in cash.' Kadir: 'Good. Hajji's share stays here as always.'")
    b.comm("call", at("2024-07-30 21:05"), "PH-BRK-B", "PH-GIMI-A", dur=41, cid="C-WT-GIMI",
           source="D-WT1", cells={"PH-BRK-B": "L-CS-KUM"},
           content="Bato asks Gimi to drive two people from Miratovac to Presevo; 50 euro.")
    arrests = [
        ("DET-ARR-BRK", "2024-08-06 06:00", "L-KUM", ["P-BRK"], "Arrested at home in Kumanovo; "
         "two phones (one is +38971000962), EUR 18,350 in cash and a notebook seized."),
        ("DET-ARR-D2", "2024-08-06 06:05", "L-KUM", ["P-D2"], "Arrested at home; the Fiat "
         "Ducato KU-0007-HV seized."),
        ("DET-ARR-SHK1", "2024-08-06 06:10", "L-LOJ-SH", ["P-SHK1"], "Arrested in the house "
         "in Lojane; mattresses for about 20 people found."),
        ("DET-ARR-OFF", "2024-08-06 06:20", "L-KUM", ["P-OFF"], "Arrested at home; EUR 4,500 "
         "in an envelope found."),
        ("DET-ARR-MTA", "2024-08-06 08:30", "L-KUM-MTO", ["P-MTA"], "Arrested at the counter; "
         "the cash book \"Bato\" seized."),
    ]
    for did, t, loc, persons, text in arrests:
        b.detect(did, at(t), loc, "arrest", persons=persons, count=len(persons), source="D-ARR",
                 description=text)
    b.detect("DET-SRCH-LOJ", at("2024-08-06 06:15"), "L-LOJ-SH", "search", persons=["P-SHK1"],
             count=1, source="D-ARR", description="Search of the house in Lojane.")
    b.detect("DET-RAID", at("2024-08-06 06:30"), "L-SUB-FARM", "search",
             persons=["P-SHK3", "P-TARIQ"], count=6, source="D-RAID",
             description="Serbian police search the farm (JIT): four migrants in the barn and "
             "Tariq Mehmood, thin and ill, who says he has worked there since April.")
    b.detect("DET-ARR-SHK3", at("2024-08-06 06:45"), "L-SUB-FARM", "arrest", persons=["P-SHK3"],
             count=1, source="D-RAID", description="The farmer is arrested; Tariq's passport is "
             "found in a drawer in his kitchen.")
    b.detect("DET-ARR-FRG", at("2024-08-06 07:10"), "L-BG", "arrest", persons=["P-FRG"], count=1,
             source="D-RAID", description="Arrested at the print shop in Zemun: blank cards, a "
             "card printer and 23 photos of migrants.")
    leave = next(g for g in b.groups if g["gid"] == TARIQ_GROUP)["leave_bg"]
    b.trip("T-TARIQ-FARM", leave + dt.timedelta(hours=21), leave + dt.timedelta(hours=25),
           "L-BG-SH",
           "L-SUB-FARM", "vehicle", vehicle="V-D4", driver="P-D4", passengers=["P-TARIQ"],
           count=11, source="D-ST-TARIQ", confidence="B2",
           description="Driven with his group from Belgrade to the farm by \"Atila\".")
    b.link("LK-S-TARIQ-FARM", "stays_at", "P-TARIQ", "L-SUB-FARM",
           start=(leave + dt.timedelta(days=1)).strftime("%Y-%m-%d"),
           end="2024-08-06", source="D-ST-TARIQ", confidence="B2",
           description="Kept on the farm and made to work to pay the rest of his fee.")
    b.link("LK-O-FARM", "owns", "P-SHK3", "L-SUB-FARM", source="D-RAID", confidence="A1")
    b.link("LK-F-TARIQ-FATH", "family", "P-TARIQ", "P-TARIQ-FATH", source="D-ST-TARIQ",
           confidence="B2", description="Father.")
    b.link("LK-O-VAN2", "owns", "P-BRK-BRO", "V-VAN2", source="D-ARR", confidence="A1")
    b.link("LK-U-VAN2", "uses", "P-D2", "V-VAN2", source="D-ARR", confidence="A2",
           description="Keys found at Ace's home.")
    b.link("LK-F-GIMI-WIFE", "family", "P-GIMI", "P-GIMI-WIFE", source="D-WT2", confidence="B2")
    b.link("LK-F-D6-MOTH", "family", "P-D6", "P-D6-MOTH", source="D-WT2", confidence="A2")
    b.link("LK-U-TAXI", "uses", "P-GIMI", "V-TAXI", source="D-WT2", confidence="B2")
    b.link("LK-U-V-D6", "uses", "P-D6", "V-D6", source="D-WT2", confidence="A2")
    b.link("LK-O-O-PRINT", "owns", "P-FRG", "O-PRINT", source="D-RAID", confidence="A1")
    b.link("LK-A-REC2-FRG", "associate", "P-REC2", "P-FRG", source="D-RAID", confidence="B3",
           description="Orders from \"Kaka Rasul\" in the print shop's notebook.")
    g04 = next(g for g in b.groups if g["gid"] == TARIQ_GROUP)
    b.trip("T-TARIQ-W3", g04["success"] - dt.timedelta(hours=5), g04["success"], "L-SUB-FARM",
           "L-KEL", "foot", driver="P-W3", count=11, source="D-ST-TARIQ", confidence="B3",
           description="Tariq saw \"Caba\" take his group from the farm to the border; he "
           "had to stay.")
    # the Bosnian branch after the arrests (BiH border police, on request of the JIT)
    for gid in ("G17", "G18"):
        g = next(g for g in b.groups if g["gid"] == gid)
        drina = g["drina"]
        b.trip(f"T-{gid}-DRINA", drina + dt.timedelta(minutes=20), drina + dt.timedelta(hours=1),
               "L-DRINA", "L-ZVO", "boat", vehicle="V-BOAT", driver="P-W4", count=g["n"],
               source="D-WT2", confidence="B3",
               description="Across the Drina at night; announced on the wiretap, landing seen "
               "by the BiH border police.")
        b.trip(f"T-{gid}-BIH", drina + dt.timedelta(hours=10), drina + dt.timedelta(hours=17),
               "L-ZVO", "L-BIH", "vehicle", vehicle="V-D5", driver="P-D5", count=g["n"],
               source="D-WT2", confidence="B2",
               description="The van is followed by the BiH police from Zvornik to Bihac.")
    g17 = next(g for g in b.groups if g["gid"] == "G17")
    b.trip("T-G17-GAME", g17["success"] - dt.timedelta(hours=26), g17["success"] - dt.timedelta(
           hours=22), "L-VK", "L-VK-BRD", "foot", driver="P-W5", count=g17["n"], source="D-WT2",
           confidence="B3", description="Haris leads the group into the forest towards Croatia.")
    b.link("LK-O-BIH", "owns", "P-SHK4", "L-BIH-SH", source="D-WT2", confidence="B2",
           description="Land register (BiH police): the house where the groups wait in Bihac.")

    # after the arrests: Gimi takes over
    post = [
        ("C-WT2-01", "call", "2024-08-06 07:12", "PH-W2-B", "PH-GIMI-A", 95,
         "Miri: 'They took Bato, Ramo and Ace this morning. Police everywhere in Lojane.' "
         "Gimi: 'Switch off. Don't call anybody today.'"),
        ("C-WT2-02", "call", "2024-08-08 11:20", "PH-HAJ", "PH-GIMI-A", 311,
         "Hajji: 'You know the road and the people. From now on you do Bato's work. "
         "A thousand for every group.' Gimi agrees; asks for Nesa's and Deki's numbers."),
        ("C-WT2-03", "call", "2024-08-09 10:05", "PH-GIMI-A", "PH-SHK2", 188,
         "Gimi introduces himself: 'I work with Hajji now, instead of Bato.' Nesa: "
         "'Hungary is difficult; send the next ones the Bosnian way.'"),
        ("C-WT2-04", "call", "2024-08-09 12:40", "PH-GIMI-A", "PH-W1", 122,
         "Gimi tells Deki the work goes on; 'no more Ramo's house, Miri keeps them.'"),
        ("C-WT2-05", "call", "2024-08-12 18:22", "PH-GIMI-A", "PH-D6", 140,
         "Gimi: 'Kiril, you want to drive? 400 per trip, Miri's cousin says you are clean.'"),
        ("C-WT2-06", "call", "2024-08-13 16:10", "PH-GIMI-A", "PH-W4", 97,
         "Gimi asks Skeledzija how many he can take over the river in one night. "
         "'Ten, if the water is low.'"),
        ("C-WT2-07", "call", "2024-08-14 11:30", "PH-GIMI-A", "PH-REC", 156,
         "Jawid: 'I have nine for next week.' Gimi: 'Send them to Deki as before.'"),
        ("C-WT2-08", "call", "2024-08-15 19:02", "PH-GIMI-A", "PH-D3", 64,
         "Gimi gives Stefan the new pick-up point near Miratovac."),
        ("C-WT2-09", "message", "2024-08-20 17:55", "PH-GIMI-A", "PH-W2-B", None,
         "New number tomorrow. Write it down."),
        ("C-WT2-10", "call", "2024-08-21 10:02", "PH-GIMI-B", "PH-W2-B", 48,
         "Gimi from the new number: 'This one from now on.'"),
        ("C-WT2-11", "call", "2024-08-21 13:15", "PH-GIMI-B", "PH-HAJ", 201,
         "Gimi gives Hajji the new number; they agree the shop pays to Gimi's cousin."),
    ]
    for cid_, kind, t, a, c, dur, text in post:
        b.comm(kind, at(t), a, c, dur=dur, cid=cid_, content=text, source="D-WT2",
               confidence="A1")


# --------------------------------------------------------------------------- scale-up people


def unknown_phones(b: Builder) -> None:
    """Give every line that only appears as a counterpart a row of its own.

    Customers of the money-transfer counter (prepaid, unregistered) and, at --scale N, the
    extra relatives and friends of the observed lines (with a person and a subscriber link).
    """
    used = {r["caller"] for r in b.comms} | {r["receiver"] for r in b.comms}
    known = {p[0] for p in b.phones}
    first_phase: dict[str, str] = {}
    for r in b.comms:
        for phone in (r["caller"], r["receiver"]):
            if phone not in known:
                old = first_phase.get(phone)
                if old is None or DOCS[r["source"]] < DOCS[old]:
                    first_phase[phone] = r["source"]
    rng = b.xrng
    first = ["Ana", "Marko", "Elena", "Petar", "Ivana", "Stefan", "Blerta", "Arben", "Mila",
             "Dragan", "Sara", "Luka", "Vesna", "Ilir", "Jovana", "Bojan"]
    last = ["Petrovski", "Nikolova", "Ilievski", "Krasniqi", "Jovanovic", "Stojanova",
            "Hoxha", "Dimitrov", "Kostic", "Popovska", "Berisha", "Markovic"]
    for k, phone in enumerate(sorted(used - known), start=1):
        if phone.startswith("PH-MTAC"):
            text = "Calls the money-transfer counter; prepaid, no subscriber data."
        else:
            text = "Relative or friend of an observed line."
        b.phones.append([phone, f"+38976{k:06d}", None, None, text])
        if phone.startswith("PH-X"):
            pid = "P-" + phone[3:]
            b.persons.append([pid, f"{rng.choice(first)} {rng.choice(last)}", None, "other",
                              rng.choice(["male", "female"]), rng.randint(1950, 2003), None,
                              "MK", "Relative or friend of an observed line."])
            b.link(f"LK-U-{phone}", "uses", pid, phone, source=first_phase[phone],
                   confidence="A2", description="Subscriber data.")


def scaled_migrants(b: Builder) -> None:
    """At --scale N: the extra groups leave named migrants in the Serbian registrations."""
    rng = b.xrng
    names = ["Ahmad", "Ali", "Hassan", "Omar", "Yasin", "Reza", "Hamza", "Idris", "Samiullah",
             "Bashir", "Walid", "Khalid", "Farid", "Rahim", "Nabil"]
    fam = ["Hussaini", "Sultani", "Ahmadi", "Qaderi", "Safi", "Mirzaei", "Haddad", "Nazari",
           "Rasuli", "Amiri", "Barakzai", "Yusufzai"]
    nat = ["AF", "AF", "AF", "SY", "PK", "MA", "IR", "BD"]
    k = 0
    b.locations.append(["L-PRE-RC", "Reception centre Presevo", "reception_centre", 42.3080,
                        21.6560, "RS", "Added at --scale > 1."])
    for g in b.groups:
        if g["core"] or g.get("arrive_bg") is None or g["arrive_bg"] > CDR_END:
            continue
        ids = []
        for _ in range(min(g["n"], 4)):
            k += 1
            pid = f"P-XM{k:05d}"
            b.persons.append([pid, f"{rng.choice(names)} {rng.choice(fam)}", None, "migrant",
                              "male", None, rng.randint(18, 45), rng.choice(nat),
                              "Registered in Serbia after the crossing."])
            ids.append(pid)
        b.detect(f"DETX-REG-{g['gid']}", g["arrive_bg"] - dt.timedelta(hours=6), "L-PRE-RC",
                 "registration", persons=ids, count=len(ids), source="D-DETLOG",
                 confidence="B2", description="Part of a group registered in Presevo.")


# --------------------------------------------------------------------------- writing


def fmt(value) -> str:
    """Format a cell: times as ISO 8601, floats with 4 decimals, lists with ';'."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    """Write one table: UTF-8, newline line endings, minimal quoting."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for row in rows:
        w.writerow([fmt(v) for v in row])
    path.write_bytes(buf.getvalue().encode("utf-8"))


def number_rows(rows: list[dict], key: str, prefix: str, width: int) -> None:
    """Sort ``rows`` by time and id, and give unnumbered rows a stable id."""
    rows.sort(key=lambda r: (r[key], r["id"] or "", r.get("caller") or "",
                             r.get("receiver") or ""))
    n = 0
    for r in rows:
        if r["id"] is None:
            n += 1
            r["id"] = f"{prefix}{n:0{width}d}"


def build(seed: int, scale: int) -> Builder:
    """Simulate and observe the whole case."""
    b = Builder(seed, scale)
    core_phase2(b)
    core_van(b)
    b.groups = plan_groups(b)
    for g in b.groups:
        if g["core"]:
            simulate_group(b, g)
    core_rng, b.rng = b.rng, b.xrng
    for g in b.groups:
        if not g["core"]:
            simulate_group(b, g)
    b.rng = core_rng
    core_phase3(b)
    core_phase4(b)
    core_phase5(b)
    background(b)
    # who uses which phone
    for phone, person, source, grade, text in PHONE_USERS:
        b.link(f"LK-U-{phone}", "uses", person, phone, source=source, confidence=grade,
               description=text)
    for phone, org, source in ORG_PHONES:
        b.link(f"LK-U-{phone}", "uses", org, phone, source=source, confidence="A2",
               description="The organisation's phone.")
    unknown_phones(b)
    if scale > 1:
        scaled_migrants(b)
    number_rows(b.comms, "time", "C", 5)
    b.payments.sort(key=lambda r: (r["time"], r["id"]))
    b.trips.sort(key=lambda r: (r["start"], r["id"]))
    b.detections.sort(key=lambda r: (r["time"], r["id"]))
    b.links.sort(key=lambda r: r["id"])
    return b


def release_total(b: Builder) -> int:
    """Sum the guarantee releases to Bato's accounts (EUR)."""
    return sum(p["amount"] for p in b.payments
               if p["payee"] == "P-BRK" and p["channel"] in ("hawala", "money_transfer"))


def write_case(b: Builder, out: Path) -> None:
    """Write every table of the case into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    write_csv(out / "persons.csv", ["id", "name", "alias", "status", "gender", "birth_year",
                                    "age_stated", "nationality", "description"], b.persons)
    write_csv(out / "organisations.csv", ["id", "name", "kind", "country", "description"],
              b.orgs)
    write_csv(out / "phones.csv", ["id", "number", "sim", "imei", "description"], b.phones)
    write_csv(out / "accounts.csv", ["id", "identifier", "kind", "institution", "country",
                                     "currency", "description"], b.accounts)
    write_csv(out / "vehicles.csv", ["id", "plate", "kind", "make", "model", "colour",
                                     "country", "description"], b.vehicles)
    write_csv(out / "locations.csv", ["id", "name", "kind", "lat", "lon", "country",
                                      "description"], b.locations)
    cols = ["id", "kind", "time", "caller", "receiver", "duration_s", "app", "caller_cell",
            "receiver_cell", "content", "source", "confidence", "description"]
    write_csv(out / "communications.csv", cols, [[r[c] for c in cols] for r in b.comms])
    cols = ["id", "time", "payer", "payer_account", "payee", "payee_account", "amount",
            "currency", "channel", "purpose", "source", "confidence", "description"]
    write_csv(out / "payments.csv", cols,
              [[r[c] if c != "amount" else f"{r[c]:.2f}" for c in cols] for r in b.payments])
    cols = ["id", "start", "end", "origin", "destination", "mode", "vehicle", "driver",
            "passengers", "passenger_count", "source", "confidence", "description"]
    write_csv(out / "trips.csv", cols, [[r[c] for c in cols] for r in b.trips])
    cols = ["id", "time", "location", "type", "vehicle", "persons", "person_count", "source",
            "confidence", "description"]
    write_csv(out / "detections.csv", cols, [[r[c] for c in cols] for r in b.detections])
    cols = ["id", "type", "subject", "object", "start", "end", "source", "confidence",
            "description"]
    write_csv(out / "links.csv", cols, [[r[c] for c in cols] for r in b.links])


def copy_handwritten(out: Path) -> None:
    """Copy the hand-written narrative next to generated tables in another folder."""
    for name in HANDWRITTEN:
        src = CASE_DIR / name
        dst = out / name
        if src.is_dir():
            shutil.copytree(src, dst, dirs_exist_ok=True)
        elif src.exists():
            shutil.copyfile(src, dst)


def main(argv: list[str] | None = None) -> int:
    """Run the generator from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=CASE_DIR, help="folder to write into")
    parser.add_argument("--scale", type=int, default=1, help="multiply groups and background")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be 1 or more")
    if (args.scale != 1 or args.seed != DEFAULT_SEED) and args.out.resolve() == CASE_DIR:
        parser.error("a scaled or reseeded case must not overwrite cases/corridor: give --out")
    b = build(args.seed, args.scale)
    out = args.out.resolve()
    write_case(b, out)
    if out != CASE_DIR.resolve():
        copy_handwritten(out)
    total = release_total(b)
    print(f"wrote {out}: {len(b.persons)} persons, {len(b.phones)} phones, "
          f"{len(b.comms)} communications, {len(b.payments)} payments, {len(b.trips)} trips, "
          f"{len(b.detections)} detections, {len(b.links)} links; "
          f"guarantee releases to Bato EUR {total:,}", file=sys.stderr)
    if args.scale == 1 and args.seed == DEFAULT_SEED and total != RELEASE_TOTAL_EUR:
        print(f"warning: releases add up to {total}, answers.yml says {RELEASE_TOTAL_EUR}",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
