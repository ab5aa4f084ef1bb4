"""Pure data for the demo school: names, places and the words staff write.

Everything here is fictional. Names are realistic and deliberately diverse (Welsh, Polish,
Turkish, Vietnamese... with their own letters) so that fonts, sorting, searching and PDFs meet
real-world names from the first demo. Phone numbers come from Ofcom's drama ranges and e-mail
domains end in ``.example`` so nothing here can reach a real person.
"""

from __future__ import annotations

from dataclasses import dataclass

from hvdesk.domain.households import ProfessionalRole, Relationship, RiskKind
from hvdesk.domain.people import JobRole
from hvdesk.domain.visits import CancellationCause, VisitReason

SCHOOL_NAME = "Riverside Academy"
SCHOOL_EMAIL_DOMAIN = "riverside-academy.example"
COUNCIL_EMAIL_DOMAIN = "brookford-council.example"
PRIVATE_EMAIL_DOMAINS = ("example.com", "example.net", "example.org")


# --- Staff -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffEntry:
    """One member of staff as the office knows them (the police sheet uses the description)."""

    first: str
    last: str
    job: JobRole
    title: str
    description: str
    contact_name: str
    contact_relationship: str
    supervisor: int | None  # index into STAFF


STAFF: tuple[StaffEntry, ...] = (
    StaffEntry(
        "Helen",
        "Okafor",
        JobRole.HEADTEACHER,
        "Headteacher",
        "Tall, short black hair with grey at the sides, usually wears a red wool coat",
        "Chidi Okafor",
        "Husband",
        None,
    ),
    StaffEntry(
        "Sarah",
        "Whitfield",
        JobRole.DSL,
        "Assistant Head, DSL",
        "Medium height, shoulder-length blonde hair, glasses, usually wears a camel coat",
        "Mark Whitfield",
        "Husband",
        0,
    ),
    StaffEntry(
        "Dafydd",
        "Jenkins",
        JobRole.DEPUTY_DSL,
        "Head of Year 9, deputy DSL",
        "Tall and broad, shaved head, ginger beard, usually wears a green waterproof",
        "Siân Jenkins",
        "Wife",
        1,
    ),
    StaffEntry(
        "Ayesha",
        "Rahman",
        JobRole.DEPUTY_DSL,
        "Pastoral manager, deputy DSL",
        "Short, wears a navy hijab and glasses, usually wears a long grey coat",
        "Tariq Rahman",
        "Brother",
        1,
    ),
    StaffEntry(
        "Richard",
        "Hughes",
        JobRole.SLT,
        "Deputy Headteacher",
        "Tall, short grey hair, glasses, usually wears a navy coat",
        "Claire Hughes",
        "Wife",
        0,
    ),
    StaffEntry(
        "Nkechi",
        "Adeyemi",
        JobRole.SLT,
        "Assistant Head (Inclusion)",
        "Medium height, long braids usually tied up, usually wears a mustard coat",
        "Tunde Adeyemi",
        "Husband",
        0,
    ),
    StaffEntry(
        "Gareth",
        "Morgan",
        JobRole.ATTENDANCE_OFFICER,
        "Attendance officer",
        "Stocky, short brown hair, beard, usually wears a black fleece with the school logo",
        "Lisa Morgan",
        "Wife",
        2,
    ),
    StaffEntry(
        "Joanne",
        "Kelly",
        JobRole.ATTENDANCE_OFFICER,
        "Attendance officer",
        "Short, curly red hair, usually wears a purple rain jacket",
        "Patrick Kelly",
        "Father",
        2,
    ),
    StaffEntry(
        "Imran",
        "Qureshi",
        JobRole.ATTENDANCE_OFFICER,
        "Attendance and welfare officer",
        "Tall and slim, short black hair, neat beard, usually wears a grey puffer jacket",
        "Sana Qureshi",
        "Wife",
        2,
    ),
    StaffEntry(
        "Beata",
        "Kowalczyk",
        JobRole.FAMILY_SUPPORT_WORKER,
        "Family support worker",
        "Medium height, long dark hair in a ponytail, usually wears a burgundy coat",
        "Tomasz Kowalczyk",
        "Husband",
        3,
    ),
    StaffEntry(
        "Michelle",
        "Campbell",
        JobRole.FAMILY_SUPPORT_WORKER,
        "Family support worker",
        "Medium height, short natural hair, gold glasses, usually wears a long black coat",
        "Andre Campbell",
        "Partner",
        3,
    ),
    StaffEntry(
        "Hodan",
        "Warsame",
        JobRole.FAMILY_SUPPORT_WORKER,
        "Family support worker",
        "Tall, wears a black headscarf, usually wears a beige trench coat",
        "Abdi Warsame",
        "Brother",
        3,
    ),
    StaffEntry(
        "Liam",
        "Brennan",
        JobRole.PASTORAL_LEAD,
        "Pastoral lead (Years 7-8)",
        "Medium height, short fair hair, usually wears a blue school lanyard and parka",
        "Aoife Brennan",
        "Partner",
        3,
    ),
    StaffEntry(
        "Emre",
        "Çelik",
        JobRole.PASTORAL_LEAD,
        "Pastoral lead (Years 10-11)",
        "Medium height, dark curly hair, moustache, usually wears a brown leather jacket",
        "Zeynep Çelik",
        "Wife",
        3,
    ),
    StaffEntry(
        "Rebecca",
        "Thornton",
        JobRole.SENCO,
        "SENCo",
        "Short, grey bob, glasses on a chain, usually wears a teal raincoat",
        "James Thornton",
        "Husband",
        5,
    ),
    StaffEntry(
        "Thomas",
        "Fairbairn",
        JobRole.TEACHER,
        "Teacher of Maths",
        "Very tall, thin, short dark hair, usually wears a navy suit jacket",
        "Anne Fairbairn",
        "Mother",
        4,
    ),
    StaffEntry(
        "Priya",
        "Sharma",
        JobRole.TEACHER,
        "Teacher of Science, Head of Year 11",
        "Short, long black hair, usually wears a red scarf and a black coat",
        "Vikram Sharma",
        "Husband",
        4,
    ),
    StaffEntry(
        "Callum",
        "Reid",
        JobRole.TEACHER,
        "Teacher of PE",
        "Athletic build, short brown hair, usually wears a school tracksuit",
        "Fiona Reid",
        "Sister",
        4,
    ),
    StaffEntry(
        "Ioana",
        "Popescu",
        JobRole.TEACHER,
        "Teacher of English (EAL lead)",
        "Medium height, brown hair in a bun, usually wears a green coat",
        "Andrei Popescu",
        "Husband",
        4,
    ),
    StaffEntry(
        "Marcus",
        "Bennett",
        JobRole.TEACHER,
        "Teacher of History",
        "Tall, locs tied back, glasses, usually wears a grey overcoat",
        "Denise Bennett",
        "Mother",
        4,
    ),
    StaffEntry(
        "Catrin",
        "Llewellyn",
        JobRole.TUTOR,
        "Home tutor (medical needs)",
        "Short, shoulder-length auburn hair, usually wears a yellow raincoat",
        "Owain Llewellyn",
        "Husband",
        5,
    ),
    StaffEntry(
        "Daniel",
        "Osei",
        JobRole.TUTOR,
        "Home tutor",
        "Medium height, short black hair, usually wears a navy padded jacket",
        "Abena Osei",
        "Wife",
        5,
    ),
    StaffEntry(
        "Linh",
        "Phạm",
        JobRole.TEACHING_ASSISTANT,
        "Teaching assistant (EAL)",
        "Short, straight black hair with a fringe, usually wears a white puffer jacket",
        "Quang Phạm",
        "Father",
        14,
    ),
    StaffEntry(
        "Karen",
        "Lewis",
        JobRole.OFFICE,
        "Receptionist",
        "Medium height, short blonde hair",
        "Steve Lewis",
        "Husband",
        4,
    ),
    StaffEntry(
        "Rhiannon",
        "Davies",
        JobRole.OFFICE,
        "Receptionist and attendance clerk",
        "Short, long dark hair",
        "Gwen Davies",
        "Mother",
        4,
    ),
    StaffEntry(
        "Paul",
        "Stanton",
        JobRole.OFFICE,
        "Data and systems manager",
        "Tall, bald, glasses",
        "Julie Stanton",
        "Wife",
        4,
    ),
)

VEHICLES: tuple[tuple[str, str], ...] = (
    ("Ford", "Fiesta"),
    ("Vauxhall", "Corsa"),
    ("Volkswagen", "Golf"),
    ("Toyota", "Yaris"),
    ("Nissan", "Qashqai"),
    ("Kia", "Sportage"),
    ("Skoda", "Octavia"),
    ("Honda", "Jazz"),
    ("Peugeot", "208"),
    ("Hyundai", "Tucson"),
    ("MINI", "Hatch"),
    ("Tesla", "Model 3"),
    ("Toyota", "Corolla"),
    ("Ford", "Focus"),
    ("Dacia", "Sandero"),
    ("Renault", "Clio"),
)
VEHICLE_COLOURS = ("Silver", "Grey", "Black", "White", "Blue", "Red", "Dark green", "Bronze")
# Memory tags of the registration (first two letters), as on real plates round here.
REG_AREAS = ("LK", "LV", "WP", "BD", "DY", "YD", "CA", "MA", "ST", "NG")
REG_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXYZ"  # no I or Q in the random part


# --- Families ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heritage:
    """First names by generation and surnames ("masc/fem" when the form changes with sex)."""

    key: str
    weight: int
    boys: tuple[str, ...]
    girls: tuple[str, ...]
    men: tuple[str, ...]
    women: tuple[str, ...]
    elder_men: tuple[str, ...]
    elder_women: tuple[str, ...]
    surnames: tuple[str, ...]
    languages: tuple[str, ...] = ()
    language_share: float = 0.0
    mother_keeps_surname: bool = False


def _split(names: str) -> tuple[str, ...]:
    """A comma-separated list of names (names may contain spaces: "Thị Hương", "ap Gruffydd")."""
    return tuple(name.strip() for name in names.split(","))


HERITAGES: tuple[Heritage, ...] = (
    Heritage(
        key="english",
        weight=38,
        boys=_split(
            "Oliver, Jack, Harry, George, Alfie, Charlie, Jacob, Thomas, Freddie, Leo, Mason, "
            "Riley, Tyler, Logan, Harvey, Archie, Noah, Ethan"
        ),
        girls=_split(
            "Amelia, Olivia, Isla, Ava, Lily, Sophie, Ella, Grace, Mia, Evie, Poppy, Freya, "
            "Millie, Jessica, Chloe, Ruby, Holly, Keira"
        ),
        men=_split(
            "Mark, Darren, Craig, Lee, Stuart, Wayne, Gary, Steven, Paul, Neil, Jason, Carl, Dean, "
            "Andrew, Matthew, Christopher"
        ),
        women=_split(
            "Nicola, Kelly, Emma, Leanne, Claire, Donna, Sarah, Joanne, Gemma, Lisa, Stacey, "
            "Kirsty, Rachel, Samantha, Louise, Jodie"
        ),
        elder_men=_split("Brian, Keith, Trevor, Derek, Malcolm, Graham"),
        elder_women=_split("Pauline, Janet, Carol, Sandra, Linda, Christine"),
        surnames=_split(
            "Smith, Jones, Taylor, Brown, Walker, Wright, Robinson, Thompson, Edwards, Green, "
            "Hall, Wood, Harris, Clarke, Jackson, Turner, Hill, Cooper, Ward, Marsh, Booth, "
            "Pickering, Fletcher, Barker, Holt, Whitehouse, Crossley"
        ),
    ),
    Heritage(
        key="welsh",
        weight=6,
        boys=_split("Rhys, Osian, Llŷr, Gethin, Ioan, Cai, Dylan, Tomos, Elis, Gwŷn"),
        girls=_split("Ffion, Seren, Cerys, Mali, Nia, Elin, Lowri, Megan, Alaw, Gwenllian"),
        men=_split("Dafydd, Gareth, Rhodri, Emyr, Huw, Aled, Owain, Geraint, Iestyn"),
        women=_split("Siân, Rhiannon, Catrin, Eleri, Bethan, Angharad, Carys, Delyth"),
        elder_men=_split("Emrys, Idris, Gwilym, Alun"),
        elder_women=_split("Gwenda, Eirlys, Morfudd, Glenys"),
        surnames=_split(
            "Pritchard, ap Gruffydd, Pugh, Bowen, Prosser, Vaughan, Gwynne, Powell, Parry, Rees, "
            "Howells, Probert"
        ),
        languages=("Welsh",),
        language_share=0.2,
    ),
    Heritage(
        key="irish",
        weight=5,
        boys=_split("Cian, Oisín, Darragh, Seán, Conor, Ronan, Fionn, Tadhg"),
        girls=_split("Aoife, Niamh, Siobhán, Róisín, Saoirse, Caoimhe, Orla, Clodagh"),
        men=_split("Declan, Pádraig, Eoin, Ciarán, Kevin, Brendan"),
        women=_split("Bríd, Deirdre, Máire, Sinéad, Gráinne, Eileen"),
        elder_men=_split("Seamus, Michael, Dermot"),
        elder_women=_split("Bridget, Mary, Nuala"),
        surnames=_split(
            "Murphy, O'Sullivan, Byrne, Doyle, McCarthy, Kavanagh, Fitzgerald, Donnelly, "
            "Gallagher, Quinn, O'Neill"
        ),
    ),
    Heritage(
        key="polish",
        weight=8,
        boys=_split(
            "Jakub, Szymon, Filip, Kacper, Antoni, Mikołaj, Wojciech, Stanisław, Bartosz, Igor"
        ),
        girls=_split(
            "Zofia, Zuzanna, Julia, Maja, Oliwia, Wiktoria, Hanna, Natalia, Alicja, Łucja"
        ),
        men=_split("Łukasz, Tomasz, Paweł, Marcin, Krzysztof, Grzegorz, Piotr, Michał, Dariusz"),
        women=_split("Małgorzata, Agnieszka, Katarzyna, Joanna, Anna, Ewa, Magdalena, Justyna"),
        elder_men=_split("Zbigniew, Józef, Tadeusz, Bogdan"),
        elder_women=_split("Bożena, Grażyna, Danuta, Halina, Krystyna"),
        surnames=_split(
            "Wójcik, Żak, Kowalczyk/Kowalczyk, Wiśniewski/Wiśniewska, Nowak, "
            "Lewandowski/Lewandowska, Kamiński/Kamińska, Zieliński/Zielińska, Dąbrowski/Dąbrowska, "
            "Szymański/Szymańska, Woźniak, Mazur, Krawczyk, Jabłoński/Jabłońska"
        ),
        languages=("Polish",),
        language_share=0.6,
    ),
    Heritage(
        key="romanian",
        weight=5,
        boys=_split("Andrei, Luca, David, Matei, Ștefan, Alexandru, Rareș, Darius"),
        girls=_split("Maria, Ioana, Ana, Sofia, Bianca, Ilinca, Daria, Alexia"),
        men=_split("Ionuț, Mihai, Florin, Cătălin, Bogdan, Adrian, Marius, Gheorghe"),
        women=_split("Elena, Mihaela, Andreea, Roxana, Cristina, Georgiana, Alina"),
        elder_men=_split("Vasile, Constantin, Nicolae"),
        elder_women=_split("Viorica, Floarea, Maria"),
        surnames=_split(
            "Ionescu, Dumitrescu, Stan, Munteanu, Lungu, Ciobanu, Radu, Stoica, Dinu, Marin, "
            "Țurcanu"
        ),
        languages=("Romanian",),
        language_share=0.5,
    ),
    Heritage(
        key="turkish",
        weight=5,
        boys=_split("Emir, Yusuf, Eymen, Ömer, Mustafa, Kerem, Doruk, Aras, Çınar"),
        girls=_split("Zeynep, Elif, Defne, Güneş, Asel, Ecrin, Nehir, Ayşe"),
        men=_split("Mehmet, Ahmet, Hüseyin, Murat, Doğan, Serkan, Kadir, Erkan, Tuğrul"),
        women=_split("Ayşe, Fatma, Emine, Hatice, Özlem, Tuğba, Aslı, Gülsen, Derya"),
        elder_men=_split("İbrahim, Osman, Halil"),
        elder_women=_split("Zehra, Hanife, Şükran"),
        surnames=_split("Yılmaz, Şahin, Demir, Kaya, Öztürk, Aydın, Arslan, Doğan, Kılıç, Koç"),
        languages=("Turkish",),
        language_share=0.5,
    ),
    Heritage(
        key="pakistani",
        weight=9,
        boys=_split("Muhammad, Ibrahim, Zayn, Hamza, Ayaan, Yusuf, Rayyan, Haris, Musa, Ali"),
        girls=_split("Aisha, Maryam, Zara, Hafsa, Inaya, Fatima, Khadija, Anaya, Eshal, Noor"),
        men=_split("Imran, Tariq, Asif, Kamran, Shahid, Naveed, Faisal, Adnan, Zubair"),
        women=_split("Ayesha, Nazia, Shazia, Saima, Rubina, Samina, Farah, Bushra, Sadia"),
        elder_men=_split("Mohammed, Abdul, Ghulam"),
        elder_women=_split("Zubeida, Naseem, Parveen"),
        surnames=_split(
            "Qureshi, Hussain, Khan, Ahmed, Iqbal, Akhtar, Butt, Chaudhry, Malik, Mahmood, Shah"
        ),
        languages=(
            "Urdu",
            "Punjabi",
            "Mirpuri",
        ),
        language_share=0.3,
    ),
    Heritage(
        key="bangladeshi",
        weight=3,
        boys=_split("Abdullah, Rafi, Tahmid, Ayaan, Sami, Rayhan"),
        girls=_split("Nusrat, Tasnim, Raisa, Sumaiya, Nafisa, Mahira"),
        men=_split("Shahidul, Rafiqul, Abul, Jamal, Monir"),
        women=_split("Rehana, Shirin, Nasima, Rumana, Salma"),
        elder_men=_split("Nurul, Abdul"),
        elder_women=_split("Rahima, Amena"),
        surnames=_split("Uddin/Begum, Miah/Begum, Islam, Hoque, Chowdhury"),
        languages=("Bengali (Sylheti)",),
        language_share=0.4,
    ),
    Heritage(
        key="indian",
        weight=3,
        boys=_split("Arjun, Aarav, Rohan, Vihaan, Krish, Dev"),
        girls=_split("Anika, Priya, Diya, Isha, Kavya, Meera"),
        men=_split("Rajesh, Sandeep, Vikram, Amit, Harpreet, Jaspal, Manoj"),
        women=_split("Sunita, Pooja, Neha, Manjit, Kiran, Anjali"),
        elder_men=_split("Gurdev, Harbhajan"),
        elder_women=_split("Kamaljit, Savitri"),
        surnames=_split("Patel, Singh/Kaur, Gill, Sandhu, Mistry, Desai, Bains"),
        languages=(
            "Punjabi",
            "Gujarati",
        ),
        language_share=0.25,
    ),
    Heritage(
        key="nigerian",
        weight=6,
        boys=_split("Tobi, David, Daniel, Ayomide, Chidera, Oluwaseun, Emeka, Tomiwa"),
        girls=_split("Chiamaka, Adaeze, Precious, Favour, Temitope, Ifeoma, Zainab, Deborah"),
        men=_split("Olumide, Chinedu, Babatunde, Emmanuel, Segun, Ikenna, Adewale"),
        women=_split("Folake, Ngozi, Adaobi, Funmilayo, Blessing, Chioma, Yetunde"),
        elder_men=_split("Ezekiel, Oladipo"),
        elder_women=_split("Comfort, Bisola"),
        surnames=_split(
            "Okonkwo, Balogun, Eze, Adebayo, Nwosu, Ogunleye, Obi, Akinola, Chukwu, Adeleke"
        ),
        languages=(
            "Yoruba",
            "Igbo",
        ),
        language_share=0.05,
    ),
    Heritage(
        key="somali",
        weight=5,
        boys=_split("Abdirahman, Mohamed, Ayub, Khalid, Abdullahi, Sakariye, Yusuf"),
        girls=_split("Hodan, Ayaan, Fadumo, Hibo, Sagal, Ubah, Nasra, Idil"),
        men=_split("Abdi, Hassan, Ahmed, Omar, Mahad, Liban, Farhan"),
        women=_split("Amina, Halima, Sahra, Khadra, Faadumo, Ladan, Nimco"),
        elder_men=_split("Jama, Ismail"),
        elder_women=_split("Maryan, Shukri"),
        surnames=_split("Farah, Hassan, Abdi, Ali, Jama, Osman, Mohamud, Yusuf, Egal, Nur, Aden"),
        languages=("Somali",),
        language_share=0.5,
        mother_keeps_surname=True,
    ),
    Heritage(
        key="caribbean",
        weight=6,
        boys=_split("Jaden, Tyrese, Malachi, Kai, Isaiah, Jerome, Reuben, Nathaniel"),
        girls=_split("Shanice, Aaliyah, Jada, Kiara, Tianna, Imani, Leah, Nia"),
        men=_split("Delroy, Winston, Leroy, Marlon, Clive, Errol, Dwayne, Andre"),
        women=_split("Marcia, Sonia, Paulette, Janelle, Beverley, Simone, Tanya, Claudette"),
        elder_men=_split("Everton, Lloyd, Clement"),
        elder_women=_split("Hyacinth, Gloria, Icilda"),
        surnames=_split(
            "Francis, Williams, Grant, Lindo, McKenzie, Thomas, Samuels, Henry, Gayle, Forbes"
        ),
    ),
    Heritage(
        key="vietnamese",
        weight=4,
        boys=_split("Minh, Bảo, Gia Huy, Đức Anh, Quang, Khoa, Tuấn"),
        girls=_split("Bảo Ngọc, Minh Anh, Linh, Thu Trang, Khánh Linh, Phương Anh, Ngọc Hân"),
        men=_split("Văn Minh, Văn Hùng, Quốc Tuấn, Thanh Sơn, Đức Thắng, Minh Khôi"),
        women=_split("Thị Hương, Thị Lan, Thị Mai, Thị Hồng, Thu Hà, Ngọc Ánh"),
        elder_men=_split("Văn Bình, Văn Long"),
        elder_women=_split("Thị Cúc, Thị Huệ"),
        surnames=_split("Nguyễn, Trần, Lê, Hoàng, Vũ, Đặng, Bùi, Đỗ, Ngô"),
        languages=("Vietnamese",),
        language_share=0.6,
        mother_keeps_surname=True,
    ),
)


@dataclass(frozen=True)
class AnchorAdult:
    first: str
    last: str
    relationship: Relationship
    parental_responsibility: bool
    language: str | None = None
    lives_with_pupil: bool = True


@dataclass(frozen=True)
class AnchorFamily:
    """A family written out by hand so that every special letter is always in the demo."""

    adults: tuple[AnchorAdult, ...]
    children: tuple[tuple[str, str], ...]  # (first, last)
    area: str


ANCHOR_FAMILIES: tuple[AnchorFamily, ...] = (
    AnchorFamily(
        (
            AnchorAdult("Łukasz", "Wójcik", Relationship.FATHER, True, "Polish"),
            AnchorAdult("Małgorzata", "Wójcik", Relationship.MOTHER, True, "Polish"),
            AnchorAdult("Bożena", "Wiśniewska", Relationship.GRANDPARENT, False, "Polish"),
        ),
        (("Zofia", "Wójcik"), ("Mikołaj", "Wójcik")),
        "Eastfield",
    ),
    AnchorFamily(
        (
            AnchorAdult("Ffion", "Pritchard", Relationship.MOTHER, True, "Welsh"),
            AnchorAdult("Rhys", "Pritchard", Relationship.FATHER, True),
        ),
        (("Llŷr", "Pritchard"),),
        "Castle Hill",
    ),
    AnchorFamily(
        (
            AnchorAdult("Eleri", "ap Gruffydd", Relationship.MOTHER, True),
            AnchorAdult("Gwŷn", "Roberts", Relationship.STEPPARENT, False),
        ),
        (("Dafydd", "ap Gruffydd"),),
        "Orchard Park",
    ),
    AnchorFamily(
        (
            AnchorAdult("Ayşe", "Yılmaz", Relationship.MOTHER, True, "Turkish"),
            AnchorAdult("Doğan", "Yılmaz", Relationship.FATHER, True),
        ),
        (("Güneş", "Yılmaz"), ("Emir", "Yılmaz")),
        "Northgate",
    ),
    AnchorFamily(
        (
            AnchorAdult("Thị Hương", "Nguyễn", Relationship.MOTHER, True, "Vietnamese"),
            AnchorAdult("Minh", "Trần", Relationship.FATHER, True, "Vietnamese"),
        ),
        (("Bảo Anh", "Trần"),),
        "Kingsmead",
    ),
    AnchorFamily(
        (
            AnchorAdult("Ayesha", "Qureshi", Relationship.MOTHER, True, "Urdu"),
            AnchorAdult("Kamran", "Qureshi", Relationship.FATHER, True),
            AnchorAdult("Naseem", "Qureshi", Relationship.GRANDPARENT, False, "Urdu"),
        ),
        (("Maryam", "Qureshi"), ("Hamza", "Qureshi")),
        "St Anne's",
    ),
)


# --- Places ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    """A neighbourhood (the public board shows it instead of the address) and its streets."""

    name: str
    town: str
    district: str  # outward code of the postcode
    streets: tuple[str, ...]
    flats: tuple[str, ...] = ()


# The fictional town of Brookford and its neighbour; "RV" is not a real postcode area.
AREAS: tuple[Area, ...] = (
    Area(
        "Riverside",
        "Brookford",
        "RV1",
        ("Wharf Road", "Canal Street", "Tannery Row", "Ferry Lane"),
        ("Brindley Court",),
    ),
    Area(
        "Millbank",
        "Brookford",
        "RV1",
        ("Mill Lane", "Weavers Close", "Bobbin Street", "Dyers Walk"),
    ),
    Area(
        "Castle Hill",
        "Brookford",
        "RV2",
        ("Castle Hill Road", "Keep Street", "Priory Walk", "Abbey Fields"),
    ),
    Area(
        "St Anne's",
        "Brookford",
        "RV2",
        ("Victoria Street", "Albert Road", "Brunswick Street", "Chapel Street"),
        ("Wesley Court",),
    ),
    Area(
        "Northgate",
        "Brookford",
        "RV3",
        ("Station Road", "Nelson Street", "Gladstone Terrace", "Laburnum Terrace"),
    ),
    Area(
        "Orchard Park",
        "Brookford",
        "RV3",
        ("Orchard Way", "Meadow Close", "Willow Grove", "Elm Close", "Beech Road"),
    ),
    Area(
        "Eastfield",
        "Brookford",
        "RV4",
        ("Jubilee Crescent", "Coronation Avenue", "Ashdown Road", "Whitworth Road"),
        ("Millennium House", "Cedar House"),
    ),
    Area(
        "Kingsmead",
        "Brookford",
        "RV4",
        ("Kingfisher Drive", "Heron Way", "Sandpiper Close", "Kingsmead Parade"),
        ("Kingfisher Tower",),
    ),
    Area(
        "Holloway Green",
        "Brookford",
        "RV5",
        ("Holloway Lane", "Green Street", "Park Avenue", "Queen's Road"),
    ),
    Area(
        "Ashby Marsh",
        "Ashby Marsh",
        "RV7",
        ("High Street", "Church Lane", "Marsh Road", "The Paddocks"),
    ),
    Area("Fenwick", "Fenwick", "RV8", ("Fenwick Road", "Back Lane", "Manor Farm Cottages")),
)
POSTCODE_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # no C, I, K, M, O or V in the inward code

LOCATION_NOTES = (
    "Flat 3 is round the back, buzzer broken",
    "No parking on the estate; park on Mill Lane and walk through the alley",
    "Door entry code changes; mum gives it by phone on the day",
    "Blue door next to the launderette, not the shop entrance",
    "Fourth floor; the lift is often out of order",
    "Poor mobile signal inside the block: phone in from the car park",
    "Side gate is the entrance; the front door is not used",
    "End of the unmade track past the farm; satnav goes the wrong way",
    "Family prefers staff to knock at the back door",
    "Ring the landline before knocking; dad works nights and sleeps in the day",
)

KNOWN_RISKS: dict[RiskKind, tuple[str, ...]] = {
    RiskKind.DOG: (
        "Large dog (Staffordshire bull terrier) in the house. Ask for it to be shut away first.",
        "Two dogs loose in the front garden; they bark but are said to be friendly.",
        "XL bully type dog. Do not enter unless it is shut in another room.",
    ),
    RiskKind.AGGRESSION: (
        "Father was verbally aggressive to the attendance officer on the phone. Pair visits only.",
        "Mother's ex-partner sometimes at the address; has threatened school staff before.",
        "Older brother (19) hostile to school staff; has sworn at staff on the doorstep.",
    ),
    RiskKind.DO_NOT_ENTER_ALONE: (
        "Do not enter alone: agreed with the DSL after a previous incident.",
        "Doorstep only unless two staff attend.",
    ),
    RiskKind.CULTURAL: (
        "Family observes Friday prayers: avoid visits 12:30-14:00 on Fridays.",
        "Remove shoes if invited in; mum prefers female staff to enter the home.",
        "Parents speak limited English: book an interpreter or bring the EAL assistant.",
    ),
    RiskKind.HEALTH: (
        "Heavy smoking in the house; staff with asthma should stay on the doorstep.",
        "Home is very cluttered (hoarding): doorstep visits only, trip hazards in the hall.",
        "Mum is immunosuppressed: do not visit with a cold or cough.",
    ),
    RiskKind.LOCATION: (
        "Isolated farm cottage with no mobile signal; phone in before and after from the village.",
        "Stairwell of the block is poorly lit; visit in daylight.",
    ),
    RiskKind.SAFEGUARDING_HISTORY: (
        "Child protection plan ended last year (neglect). Check with the DSL before visiting.",
        "Domestic abuse notification (Operation Encompass) received twice this year.",
        "Older sibling open to Youth Justice; police attend the address from time to time.",
    ),
    RiskKind.OTHER: (
        "Parent has a hearing impairment: text rather than phone ahead.",
        "Family are wary of officials after a housing dispute; explain who you are first.",
    ),
}

PROFESSIONAL_ORGANISATIONS: dict[ProfessionalRole, str] = {
    ProfessionalRole.SOCIAL_WORKER: "Brookford Children's Services, Family Safeguarding Team",
    ProfessionalRole.EARLY_HELP: "Brookford Early Help Hub",
    ProfessionalRole.FAMILY_SUPPORT: "Brookford Family Support Service",
    ProfessionalRole.HEALTH_VISITOR: "Brookford School Nursing Service",
    ProfessionalRole.YOUTH_JUSTICE: "Brookford Youth Justice Service",
    ProfessionalRole.CAMHS: "Northfield CAMHS",
}

PROFESSIONAL_NAMES = (
    "Joanne Ashworth",
    "Kwame Mensah",
    "Ruth Evans",
    "Tomasz Nowicki",
    "Shabnam Akhtar",
    "Lauren Pike",
    "Owen Griffiths",
    "Claire O'Donnell",
    "Abdullahi Nur",
    "Hannah Lee",
    "Femi Ogundipe",
    "Rachel Stubbs",
    "Dominika Wrona",
    "Sunil Rao",
    "Ciara Kennedy",
    "Mei Chen",
    "Jason Pritchett",
    "Aleksandra Sobczak",
)

# --- Visits ------------------------------------------------------------------------------------

REASON_WEIGHTS: dict[VisitReason, int] = {
    VisitReason.WELFARE_CHECK: 18,
    VisitReason.ATTENDANCE_SUPPORT: 16,
    VisitReason.OTHER_CONTACT_FAILED: 6,
    VisitReason.REFUSING_SCHOOL: 8,
    VisitReason.CHILD_MISSING_EDUCATION: 3,
    VisitReason.EDUCATED_AT_HOME: 2,
    VisitReason.PARENT_CANNOT_COME_IN: 6,
    VisitReason.COLLECT_OR_DROP_CHILD: 3,
    VisitReason.WORK_OR_EQUIPMENT: 8,
    VisitReason.LONG_ILLNESS: 5,
    VisitReason.SUSPECTED_HOLIDAY: 3,
    VisitReason.TUTORING: 6,
    VisitReason.NEW_FAMILY: 5,
    VisitReason.EMERGENCY_SAFEGUARDING: 2,
    VisitReason.OTHER: 1,
}

# Who usually leads a visit for each reason (first match with a free diary wins).
LEAD_JOBS: dict[VisitReason, tuple[JobRole, ...]] = {
    VisitReason.WELFARE_CHECK: (
        JobRole.ATTENDANCE_OFFICER,
        JobRole.FAMILY_SUPPORT_WORKER,
        JobRole.PASTORAL_LEAD,
    ),
    VisitReason.ATTENDANCE_SUPPORT: (JobRole.ATTENDANCE_OFFICER, JobRole.PASTORAL_LEAD),
    VisitReason.OTHER_CONTACT_FAILED: (JobRole.ATTENDANCE_OFFICER, JobRole.FAMILY_SUPPORT_WORKER),
    VisitReason.REFUSING_SCHOOL: (
        JobRole.PASTORAL_LEAD,
        JobRole.FAMILY_SUPPORT_WORKER,
        JobRole.SENCO,
    ),
    VisitReason.CHILD_MISSING_EDUCATION: (JobRole.ATTENDANCE_OFFICER, JobRole.DEPUTY_DSL),
    VisitReason.EDUCATED_AT_HOME: (JobRole.ATTENDANCE_OFFICER, JobRole.SLT),
    VisitReason.PARENT_CANNOT_COME_IN: (JobRole.SENCO, JobRole.PASTORAL_LEAD, JobRole.SLT),
    VisitReason.COLLECT_OR_DROP_CHILD: (JobRole.FAMILY_SUPPORT_WORKER, JobRole.TEACHING_ASSISTANT),
    VisitReason.WORK_OR_EQUIPMENT: (
        JobRole.TEACHER,
        JobRole.TEACHING_ASSISTANT,
        JobRole.PASTORAL_LEAD,
    ),
    VisitReason.LONG_ILLNESS: (JobRole.PASTORAL_LEAD, JobRole.TEACHER, JobRole.SENCO),
    VisitReason.SUSPECTED_HOLIDAY: (JobRole.ATTENDANCE_OFFICER,),
    VisitReason.TUTORING: (JobRole.TUTOR, JobRole.TEACHER),
    VisitReason.NEW_FAMILY: (JobRole.FAMILY_SUPPORT_WORKER, JobRole.PASTORAL_LEAD),
    VisitReason.EMERGENCY_SAFEGUARDING: (
        JobRole.DEPUTY_DSL,
        JobRole.DSL,
        JobRole.FAMILY_SUPPORT_WORKER,
    ),
    VisitReason.OTHER: (JobRole.FAMILY_SUPPORT_WORKER, JobRole.TEACHING_ASSISTANT),
}

# Reasons where the visit is usually unannounced (000, 001: a valid recorded reason).
UNANNOUNCED_REASONS: dict[VisitReason, str] = {
    VisitReason.WELFARE_CHECK: "Absent with no contact from parents; phones go to voicemail.",
    VisitReason.OTHER_CONTACT_FAILED: "Calls, texts and a letter have had no reply.",
    VisitReason.CHILD_MISSING_EDUCATION: "Possible child missing education: on-the-spot check.",
    VisitReason.EMERGENCY_SAFEGUARDING: "Emergency safeguarding: no notice given, agreed by DSL.",
    VisitReason.SUSPECTED_HOLIDAY: "Suspected term-time holiday after leave was refused.",
}

PURPOSES: dict[VisitReason, tuple[str, ...]] = {
    VisitReason.WELFARE_CHECK: (
        "{child} has been absent for three days with no reason given. See {child} and check "
        "they are safe and well.",
        "Welfare check: {child} absent since Monday and not answering school calls.",
    ),
    VisitReason.ATTENDANCE_SUPPORT: (
        "Attendance is {pct}% this term. Talk through the attendance plan with parents and agree "
        "next steps.",
        "Follow up the attendance meeting: review the morning routine with parents and {child}.",
    ),
    VisitReason.OTHER_CONTACT_FAILED: (
        "No response to calls, texts or letters about {child}'s absence. Make contact and check "
        "{child} is safe.",
    ),
    VisitReason.REFUSING_SCHOOL: (
        "{child} is refusing to come into school. Meet {child} at home and talk about a "
        "phased return.",
        "Emotionally based school avoidance: agree a plan with {child} and parents.",
    ),
    VisitReason.CHILD_MISSING_EDUCATION: (
        "Family may have moved away: {child} not in school for ten days. Check whether they "
        "still live at the address.",
    ),
    VisitReason.EDUCATED_AT_HOME: (
        "Parents have said they will educate {child} at home. Talk through the decision and what "
        "it means before the pupil comes off roll.",
    ),
    VisitReason.PARENT_CANNOT_COME_IN: (
        "Annual review of {child}'s support plan with mum, who cannot come in because of her "
        "mobility.",
        "Meet parents at home: they work shifts and cannot get to school in the day.",
    ),
    VisitReason.COLLECT_OR_DROP_CHILD: (
        "Collect {child} for the morning and bring them to school (agreed with parents).",
        "Drop {child} home after the medical appointment; parent not able to collect.",
    ),
    VisitReason.WORK_OR_EQUIPMENT: (
        "Drop off a work pack and a school laptop for {child} during the exclusion.",
        "Collect coursework from {child} and drop off revision guides.",
    ),
    VisitReason.LONG_ILLNESS: (
        "Keep in touch with {child} during a long illness; bring cards from the class.",
        "Check in with {child} after the operation and plan a return.",
    ),
    VisitReason.SUSPECTED_HOLIDAY: (
        "Leave refused for term-time holiday; {child} absent since. Check whether the family is "
        "at home.",
    ),
    VisitReason.TUTORING: (
        "Home tuition for {child} (medical needs): English and Maths.",
        "Weekly tutoring session with {child}: Science revision.",
    ),
    VisitReason.NEW_FAMILY: (
        "{child} started this term. Meet the family at home, explain how school works and who "
        "to contact.",
    ),
    VisitReason.EMERGENCY_SAFEGUARDING: (
        "Emergency safeguarding visit: disclosure by {child}'s sibling this morning. See {child} "
        "and parents with the allocated social worker.",
    ),
    VisitReason.OTHER: ("Deliver uniform from the clothing bank for {child}.",),
}

# The necessity check, written against the purposes that need it.
NECESSITY_NOTES: dict[str, str] = {
    PURPOSES[VisitReason.PARENT_CANNOT_COME_IN][0]: (
        "Mum uses a wheelchair and there is no accessible bus to school."
    ),
    PURPOSES[VisitReason.PARENT_CANNOT_COME_IN][1]: (
        "Both parents work shifts; three meetings in school were offered and missed."
    ),
    PURPOSES[VisitReason.ATTENDANCE_SUPPORT][0]: (
        "Invited to two attendance meetings in school; did not attend either."
    ),
    PURPOSES[VisitReason.ATTENDANCE_SUPPORT][1]: (
        "Dad works nights and cannot come in during the day; meeting at home agreed."
    ),
}

OTHER_REASON_TEXT = "Delivering uniform from the clothing bank"

RESOURCES: dict[VisitReason, str] = {
    VisitReason.WORK_OR_EQUIPMENT: "Work pack, school laptop and charger, signed loan form",
    VisitReason.TUTORING: "Lesson materials, exercise books",
    VisitReason.ATTENDANCE_SUPPORT: "Attendance certificate, attendance plan, leaflets",
    VisitReason.NEW_FAMILY: "Welcome pack, uniform list, free school meals form",
    VisitReason.LONG_ILLNESS: "Cards from the class, reading books",
    VisitReason.OTHER: "Bag of uniform (blazer, two jumpers, PE kit)",
}


@dataclass(frozen=True)
class Outcome:
    """What was written after a visit: facts and opinions kept apart."""

    observations: str
    opinions: str
    outcome: str
    action_required: str
    concerns: str | None = None
    child_seen: bool = True


OUTCOMES_ATTENDANCE: tuple[Outcome, ...] = (
    Outcome(
        "{adult} answered the door. {child} came to the door, dressed, and spoke to us. "
        "{adult} said {child} had a migraine.",
        "{child} seemed well in themself; {adult} appeared keen to engage.",
        "Agreed {child} will be in school tomorrow; absence recorded as illness.",
        "Attendance officer to check the register tomorrow morning.",
    ),
    Outcome(
        "No answer at first; {adult} came to the door after a few minutes. {child} was in the "
        "front room on a games console.",
        "{adult} appeared tired and said mornings are a struggle.",
        "Attendance plan reviewed; alarm clock and breakfast club place offered.",
        "Pastoral lead to meet {child} on return; review attendance in two weeks.",
    ),
    Outcome(
        "{adult} spoke to us on the doorstep. {child} waved from the stairs but did not come down.",
        "{child} seemed anxious about coming back after the fallout with friends.",
        "Agreed a phased return starting with two mornings a week.",
        "Refer to the school counsellor; SENCo to review support.",
        "{child} said someone in their year had been sending unkind messages.",
    ),
    Outcome(
        "House in darkness, curtains drawn. Neighbour said the family had gone abroad last "
        "week. Calling card left.",
        "Likely term-time holiday, not yet confirmed.",
        "Absence recorded as unauthorised pending contact.",
        "Attendance officer to write to parents; consider a penalty notice if confirmed.",
        None,
        False,
    ),
    Outcome(
        "{adult} and {child} at home. Kitchen had little food and the heating was off.",
        "{adult} seemed overwhelmed and upset about money.",
        "Food bank voucher given; family agreed to an Early Help assessment.",
        "Family support worker to complete the Early Help assessment this week; DSL informed.",
        "Signs of neglect: little food in the house, no heating.",
    ),
)

OUTCOMES_SUPPORT: tuple[Outcome, ...] = (
    Outcome(
        "Met {adult} and {child} in the living room. {child} showed us the work completed.",
        "{child} was cheerful and proud of the work.",
        "Work collected; next pack agreed for next week.",
        "Class teacher to mark the work and send feedback.",
    ),
    Outcome(
        "{adult} welcomed us in. {child} joined for part of the meeting.",
        "{adult} appeared relieved to be able to talk things through at home.",
        "Support plan reviewed and signed; transport form completed.",
        "SENCo to send the updated plan and chase the transport request.",
    ),
    Outcome(
        "{child} was in bed when we arrived but came down to talk; still on crutches.",
        "{child} seemed low but brightened when talking about friends.",
        "Return planned for after half term with a lift pass.",
        "Pastoral lead to arrange a lift pass and a buddy for the first week.",
    ),
    Outcome(
        "Met the family at home. {adult} asked about free school meals and uniform.",
        "Family appeared settled and keen to get involved with the school.",
        "Free school meals form completed with {adult}; uniform ordered.",
        "Office to process the free school meals form.",
    ),
)

OUTCOMES_EMERGENCY: tuple[Outcome, ...] = (
    Outcome(
        "Visited with the allocated social worker. {child} seen alone in the kitchen; no visible "
        "injuries. {adult} present and cooperative.",
        "{child} seemed withdrawn; {adult} appeared shaken by the allegation.",
        "Social worker to complete a strategy discussion today; safety plan agreed.",
        "DSL to attend the strategy meeting; record on the safeguarding system today.",
        "Disclosure made by sibling; strategy discussion needed.",
    ),
)

CANCELLATION_NOTES: dict[CancellationCause, tuple[str, ...]] = {
    CancellationCause.PARENT_NOT_PRESENT: (
        "Waited 10 minutes, no answer. Calling card left.",
        "No one home after the wait limit; neighbour says they are at the hospital.",
    ),
    CancellationCause.ANIMAL_NOT_SECURED: (
        "Large dog loose in the front garden and not shut away when asked. Did not enter.",
    ),
    CancellationCause.FELT_UNSAFE: (
        "A man at the address we had not met before shouted at us on the doorstep and slammed "
        "the door. We left at once and phoned the office from the car.",
    ),
    CancellationCause.PARENT_CANCELLED: (
        "Mum rang to cancel: family emergency. To rebook next week.",
        "Dad rang: {child} back in school tomorrow, visit no longer needed.",
    ),
    CancellationCause.STAFF_UNAVAILABLE: (
        "Second visitor off sick; no one else free. Rebooked.",
        "Lead visitor called to a safeguarding meeting; visit rebooked.",
    ),
    CancellationCause.OTHER: (
        "Road closed after an accident on the bypass; rebooked for tomorrow.",
    ),
}

CANCELLATION_WEIGHTS: dict[CancellationCause, int] = {
    CancellationCause.PARENT_NOT_PRESENT: 5,
    CancellationCause.PARENT_CANCELLED: 5,
    CancellationCause.STAFF_UNAVAILABLE: 3,
    CancellationCause.ANIMAL_NOT_SECURED: 1,
    CancellationCause.FELT_UNSAFE: 1,
    CancellationCause.OTHER: 1,
}

SAFE_WORDS = (
    "bluebell",
    "lighthouse",
    "marmalade",
    "pinecone",
    "harbour",
    "tangerine",
    "kestrel",
    "buttercup",
    "anchor",
    "sycamore",
    "lantern",
    "puffin",
    "juniper",
    "copper",
    "meadow",
    "otter",
    "nutmeg",
    "saffron",
    "thistle",
    "walnut",
)

LONE_JUSTIFICATIONS = (
    "Doorstep drop-off only, low risk; DSL agreed a lone visit.",
    "Known family, no recorded risks; second visitor not available. Agreed by DSL.",
    "Tutoring visit to a known family with a parent at home; lone visit agreed.",
)

UNSAFE_RISK = (
    "A man at the address shouted at staff on the doorstep ({date}). Pair visits only, "
    "doorstep only; phone ahead."
)
ANIMAL_RISK = (
    "Large dog loose in the front garden on {date} and not shut away when asked. Phone ahead "
    "and ask for it to be shut in before arriving."
)

SCHEDULE_CHANGE_NOTES = (
    "Running 15 minutes late: traffic on the ring road.",
    "Parent asked them to stay to meet the school nurse; 15 minutes more.",
    "Late start: parent not home on arrival, waited in the car.",
)

CALL_RECEIVED_NOTES = (
    "Phoned from the car: all fine, on the way to the address.",
    "Phoned to say parking is difficult; will be a few minutes late arriving.",
)

AUTHORISATION_CONDITIONS = (
    "Doorstep only.",
    "Phone in on arrival and on leaving, without fail.",
    "Check the dog is shut away before entering.",
    "Take the EAL assistant to interpret.",
)


@dataclass(frozen=True)
class EscalationStory:
    """A past missed check-in: how far the ladder went and how it ended."""

    highest_stage: int
    resolved_after_minutes: int
    resolution: str  # {time} is the local time it was resolved
    what_happened: str
    lessons: str
    procedure_change: str | None
    emergency_contact_reached: bool = False


ESCALATION_STORIES: tuple[EscalationStory, ...] = (
    EscalationStory(
        2,
        11,
        "Staff safe: phone on silent during the meeting with mum; called back at {time}.",
        "Visit overran; staff had put the phone on silent at the parent's request.",
        "Phones stay on vibrate; ring the office before agreeing to stay longer.",
        None,
    ),
    EscalationStory(
        4,
        48,
        "Staff safe: car broke down on the bypass with no signal; police patrol found them at "
        "{time}.",
        "Car broke down in a signal black spot on the way back; phone had no coverage.",
        "Office to hold a second number (the visitor's personal phone) for black spots.",
        "Added: staff give the office the route back when the area has poor signal.",
    ),
    EscalationStory(
        3,
        22,
        "Staff safe: visit overran and there was no signal in the flats; rang from the car at "
        "{time}.",
        "No signal inside the block; the visit ran on by 20 minutes.",
        "Phone in from the car park before going up when the block has no signal.",
        "Location note added to the household: poor signal inside the block.",
        True,
    ),
    EscalationStory(
        2,
        9,
        "Staff safe: forgot to phone in after leaving; back at school at {time}.",
        "Visitor forgot the leaving call and drove straight back.",
        "Reminder given; a check-in card now goes on the car dashboard.",
        None,
    ),
    EscalationStory(
        3,
        19,
        "Staff safe: parent asked them to stay while the GP rang back; phoned at {time}.",
        "Visit extended at the family's request without telling the office.",
        "Any change of timings is phoned in before it happens (003).",
        None,
    ),
    EscalationStory(
        3,
        24,
        "Staff safe: phone battery died; spoke to them at {time}.",
        "Work phone battery ran out during the visit; the visitor did not notice.",
        "Office to check phones are charged at sign-out; car chargers ordered.",
        None,
        True,
    ),
)

SUPPORT_OFFERED = (
    "Offered time with the Employee Assistance Programme; declined, happy to carry on.",
    "Debrief with the DSL; offered a week of pair-only visits.",
    "Offered counselling through the EAP; accepted.",
)


AGGRESSION_CONTROL = " Known risk at this address: pair visit, doorstep only."
DOG_CONTROL = " Known dog at this address: confirm it is shut away before knocking."

ASSESSMENT_NOTES = (
    "Office has the itinerary; phone in on arrival and on leaving.",
    "Pair visit. Office has the itinerary and both mobile numbers.",
    "Known family; no change since the last visit.",
    "Parking is difficult; allow ten minutes extra.",
)
