"""What the demo programme is made of: its priority sectors, occupations, skills, fields of study,
universities, host organisations and the demo logins. Plain data, no Django.

Sectors are the space-industry "technological keys" of DESIGN.md section 1. Occupation codes
are ISCO-08 unit groups (ILO, "International Standard Classification of Occupations 2008",
2012); fields of study are ISCED-F 2013 detailed codes (UNESCO Institute for Statistics, 2014).
ESCO URIs are left out on purpose: the demo does not invent identifiers it cannot check, so
occupations carry ISCO-08 codes and skills their phrase as written. Host organisations are
fictional; universities are real institutions named only as places a synthetic person studied.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "DEMO_LOGINS",
    "DEMO_PASSWORD",
    "FIELDS_OF_STUDY",
    "HOST_ORGANISATIONS",
    "OCCUPATIONS",
    "PROGRAMME",
    "SECTORS",
    "SKILLS",
    "UNIVERSITIES",
    "DemoLogin",
    "HostSpec",
    "Occupation",
    "SectorSpec",
]

# The one password of every demo account: printed by ``demo serve``. It is a demo.
DEMO_PASSWORD = "demo-Talentgate-2026"


@dataclass(frozen=True)
class SectorSpec:
    code: str
    name_en: str
    name_ru: str
    parent: str | None
    yearly_target: int  # specialists a year the demo programme aims to bring in (0: no own target)


SECTORS: tuple[SectorSpec, ...] = (
    SectorSpec("space", "Space industry", "Космическая отрасль", None, 0),
    SectorSpec("space.orbital", "Orbital cluster", "Орбитальная группировка", "space", 0),
    SectorSpec("space.orbital.satcom", "Satellite communications", "Спутниковая связь", "space.orbital", 120),
    SectorSpec(
        "space.orbital.earth-observation",
        "Earth remote sensing",
        "Дистанционное зондирование Земли",
        "space.orbital",
        110,
    ),
    SectorSpec("space.orbital.navigation", "Satellite navigation", "Спутниковая навигация", "space.orbital", 80),
    SectorSpec(
        "space.orbital.data-relay",
        "Data-relay satellites",
        "Спутники-ретрансляторы данных",
        "space.orbital",
        50,
    ),
    SectorSpec(
        "space.launch", "Launch programme and rocket family", "Пусковая программа и ракеты-носители", "space", 150
    ),
    SectorSpec(
        "space.manufacturing",
        "Spacecraft and satellite manufacturing",
        "Производство космических аппаратов и спутников",
        "space",
        200,
    ),
    SectorSpec("space.propulsion", "Propulsion research", "Исследования двигательных установок", "space", 90),
    SectorSpec("space.centres", "Space centres", "Космические центры", "space", 60),
    SectorSpec("space.crewed", "Crewed missions", "Пилотируемая космонавтика", "space", 40),
    SectorSpec("space.research", "Space research", "Космические исследования", "space", 100),
    SectorSpec("space.nuclear-power", "Nuclear power in space", "Ядерная энергетика в космосе", "space", 30),
)
LEAF_SECTORS = tuple(s.code for s in SECTORS if s.yearly_target > 0)


@dataclass(frozen=True)
class Occupation:
    """A job title as written (English), its ISCO-08 unit group, the sectors it serves and its typical skills."""

    title: str
    isco08: str
    sectors: tuple[str, ...]
    skills: tuple[str, ...]
    field_codes: tuple[str, ...]  # ISCED-F 2013 fields a holder usually studied
    min_level: int = 6  # lowest ISCED level usually held


_AERO = ("0716", "0715")
_ELEC = ("0714", "0713")
_PHYS = ("0533", "0541")
_SOFT = ("0613", "0612", "0541")

OCCUPATIONS: tuple[Occupation, ...] = (
    Occupation(
        "Propulsion engineer",
        "2144",
        ("space.propulsion", "space.launch"),
        (
            "liquid rocket engine design",
            "combustion modelling",
            "CFD (ANSYS Fluent)",
            "turbopump design",
            "cryogenic systems",
        ),
        (*_AERO, "0711"),
    ),
    Occupation(
        "Electric propulsion scientist",
        "2111",
        ("space.propulsion", "space.nuclear-power"),
        ("electric propulsion (Hall thrusters)", "plasma physics", "vacuum chamber testing", "Python"),
        _PHYS,
        7,
    ),
    Occupation(
        "GNC engineer",
        "2144",
        ("space.launch", "space.manufacturing", "space.crewed"),
        ("attitude determination and control", "Kalman filtering", "MATLAB/Simulink", "orbital mechanics"),
        (*_AERO, "0714"),
    ),
    Occupation(
        "Spacecraft systems engineer",
        "2144",
        ("space.manufacturing", "space.orbital.satcom", "space.research"),
        ("systems engineering (MBSE, SysML)", "requirements management", "ECSS standards", "FMEA"),
        _AERO,
    ),
    Occupation(
        "Thermal engineer",
        "2144",
        ("space.manufacturing", "space.nuclear-power"),
        ("thermal analysis (Thermica, ESATAN)", "thermal vacuum testing", "heat pipes", "FEM (NASTRAN)"),
        _AERO,
    ),
    Occupation(
        "Structural analysis engineer",
        "2144",
        ("space.launch", "space.manufacturing"),
        ("FEM (NASTRAN)", "vibration testing", "composite materials", "fatigue analysis"),
        _AERO,
    ),
    Occupation(
        "Satellite communications engineer",
        "2153",
        ("space.orbital.satcom", "space.orbital.data-relay"),
        ("RF link budget analysis", "DVB-S2", "antenna design", "ground station operations"),
        _ELEC,
    ),
    Occupation(
        "RF and antenna engineer",
        "2152",
        ("space.orbital.satcom", "space.orbital.data-relay", "space.orbital.navigation"),
        ("antenna design", "RF circuit design", "CST Microwave Studio", "phased arrays"),
        _ELEC,
    ),
    Occupation(
        "Avionics engineer",
        "2152",
        ("space.launch", "space.manufacturing"),
        ("radiation-hardened electronics", "FPGA design (VHDL)", "embedded C", "SpaceWire"),
        _ELEC,
    ),
    Occupation(
        "Flight software engineer",
        "2512",
        ("space.manufacturing", "space.launch", "space.crewed"),
        ("C++", "embedded C", "RTOS", "software verification (DO-178C, ECSS-E-ST-40)"),
        _SOFT,
    ),
    Occupation(
        "GNSS engineer",
        "2153",
        ("space.orbital.navigation",),
        ("GNSS signal processing", "precise orbit determination", "atomic clocks", "C++"),
        ("0714", "0532"),
    ),
    Occupation(
        "Remote sensing scientist",
        "2114",
        ("space.orbital.earth-observation", "space.research"),
        ("synthetic aperture radar processing", "multispectral image analysis", "GDAL", "Python"),
        ("0532", "0533"),
        7,
    ),
    Occupation(
        "Geospatial data scientist",
        "2120",
        ("space.orbital.earth-observation",),
        ("machine learning", "Python", "QGIS", "multispectral image analysis"),
        ("0541", "0542", "0613"),
    ),
    Occupation(
        "Cartographer",
        "2165",
        ("space.orbital.earth-observation", "space.orbital.navigation"),
        ("QGIS", "photogrammetry", "geodesy", "GDAL"),
        ("0532", "0731"),
    ),
    Occupation(
        "Astrophysicist",
        "2111",
        ("space.research",),
        ("data analysis (Python, NumPy)", "X-ray astronomy", "instrument calibration", "scientific writing"),
        _PHYS,
        8,
    ),
    Occupation(
        "Space plasma physicist",
        "2111",
        ("space.research", "space.propulsion"),
        ("plasma physics", "magnetospheric physics", "Fortran", "scientific writing"),
        _PHYS,
        8,
    ),
    Occupation(
        "Nuclear engineer",
        "2149",
        ("space.nuclear-power",),
        ("nuclear reactor physics", "radiation protection", "thermoelectric conversion", "MCNP"),
        ("0713", "0533"),
        7,
    ),
    Occupation(
        "Propellant chemist",
        "2113",
        ("space.propulsion", "space.launch"),
        ("propellant chemistry", "gas chromatography", "safety of energetic materials"),
        ("0531", "0711"),
        7,
    ),
    Occupation(
        "Materials engineer",
        "2149",
        ("space.manufacturing", "space.launch"),
        ("composite materials", "additive manufacturing", "metallography", "non-destructive testing"),
        ("0722", "0715"),
    ),
    Occupation(
        "Power systems engineer",
        "2151",
        ("space.manufacturing", "space.nuclear-power"),
        ("spacecraft power systems", "solar arrays", "battery management", "power electronics"),
        ("0713", "0714"),
    ),
    Occupation(
        "Manufacturing engineer",
        "2141",
        ("space.manufacturing", "space.launch"),
        ("lean manufacturing", "ISO 9001 quality management", "CAD (Siemens NX)", "clean-room assembly"),
        ("0715", "0716"),
    ),
    Occupation(
        "Quality assurance engineer",
        "2141",
        ("space.manufacturing", "space.launch"),
        ("ISO 9001 quality management", "FMEA", "ECSS standards", "non-destructive testing"),
        ("0715", "0716"),
    ),
    Occupation(
        "Launch site engineer",
        "2142",
        ("space.centres", "space.launch"),
        ("ground infrastructure design", "cryogenic systems", "AutoCAD", "safety engineering"),
        ("0732", "0715"),
    ),
    Occupation(
        "Mission operations engineer",
        "2149",
        ("space.centres", "space.crewed", "space.orbital.satcom"),
        ("mission planning", "telemetry analysis", "ground station operations", "orbital mechanics"),
        (*_AERO, "0714"),
    ),
    Occupation(
        "Life support systems engineer",
        "2144",
        ("space.crewed",),
        ("life support systems", "thermal analysis (Thermica, ESATAN)", "human factors", "chemical process design"),
        ("0716", "0711"),
    ),
    Occupation(
        "Space medicine physician",
        "2212",
        ("space.crewed",),
        ("space medicine", "aerospace physiology", "emergency medicine"),
        ("0912",),
        7,
    ),
    Occupation(
        "Electronics technician",
        "3114",
        ("space.manufacturing", "space.centres"),
        ("soldering to ECSS-Q-ST-70-08", "harness manufacturing", "electrical testing"),
        ("0714",),
        4,
    ),
    Occupation(
        "Mechanical engineering technician",
        "3115",
        ("space.manufacturing", "space.launch"),
        ("clean-room assembly", "vibration testing", "technical drawing"),
        ("0715",),
        4,
    ),
    Occupation(
        "Welder",
        "7212",
        ("space.launch", "space.manufacturing"),
        ("welding of aluminium alloys", "TIG welding", "non-destructive testing"),
        ("0715",),
        3,
    ),
    Occupation(
        "CNC machinist",
        "7223",
        ("space.manufacturing", "space.propulsion"),
        ("CNC programming", "5-axis machining", "technical drawing"),
        ("0715",),
        3,
    ),
    Occupation(
        "Accelerator physicist",
        "2111",
        ("space.research",),
        ("accelerator physics", "beam diagnostics", "particle detectors", "data analysis (ROOT)"),
        _PHYS,
        8,
    ),
    Occupation(
        "Data engineer",
        "2521",
        ("space.orbital.earth-observation", "space.centres"),
        ("PostgreSQL", "distributed data processing", "Python", "cloud infrastructure"),
        _SOFT,
    ),
    Occupation(
        "Cybersecurity specialist",
        "2529",
        ("space.centres", "space.orbital.satcom"),
        ("network security", "incident response", "secure ground segment design"),
        _SOFT,
    ),
    Occupation(
        "Research and development manager",
        "1223",
        ("space.research", "space.manufacturing", "space.propulsion"),
        ("project management", "systems engineering (MBSE, SysML)", "technical writing", "budgeting"),
        (*_AERO, "0413"),
        7,
    ),
    Occupation(
        "University lecturer",
        "2310",
        ("space.research",),
        ("teaching", "scientific writing", "orbital mechanics"),
        (*_AERO, *_PHYS),
        8,
    ),
)

# Skills the demo uses beyond the occupations' own: the things people list at the end of a CV.
SKILLS: tuple[str, ...] = tuple(
    sorted(
        {s for o in OCCUPATIONS for s in o.skills}
        | {"project management", "technical writing", "Python", "machine learning", "LaTeX", "Git"}
    )
)

# ISCED-F 2013 detailed fields the demo's degrees use: code -> (field as written, degree stem).
FIELDS_OF_STUDY: dict[str, tuple[str, str]] = {
    "0716": ("Aerospace engineering", "Aerospace Engineering"),
    "0715": ("Mechanical engineering", "Mechanical Engineering"),
    "0714": ("Electronics and automation", "Electronic Engineering"),
    "0713": ("Electrical and power engineering", "Electrical Engineering"),
    "0711": ("Chemical engineering", "Chemical Engineering"),
    "0722": ("Materials science", "Materials Science"),
    "0731": ("Geodesy and cartography", "Geodesy"),
    "0732": ("Civil engineering", "Civil Engineering"),
    "0531": ("Chemistry", "Chemistry"),
    "0532": ("Earth sciences", "Geophysics"),
    "0533": ("Physics", "Physics"),
    "0541": ("Mathematics", "Applied Mathematics"),
    "0542": ("Statistics", "Statistics"),
    "0612": ("Computer networks", "Computer Networks"),
    "0613": ("Software engineering", "Computer Science"),
    "0413": ("Management", "Engineering Management"),
    "0912": ("Medicine", "Medicine"),
}

# Real universities by country, named only as where a synthetic candidate studied.
UNIVERSITIES: dict[str, tuple[str, ...]] = {
    "RU": (
        "Bauman Moscow State Technical University",
        "Moscow Aviation Institute",
        "Samara University",
        "Moscow Institute of Physics and Technology",
        "Tomsk Polytechnic University",
    ),
    "BY": ("Belarusian State University", "Belarusian National Technical University"),
    "KZ": (
        "Al-Farabi Kazakh National University",
        "Satbayev University",
        "L. N. Gumilyov Eurasian National University",
    ),
    "KG": ("Kyrgyz State Technical University",),
    "UZ": ("Tashkent State Technical University", "National University of Uzbekistan"),
    "AM": ("Yerevan State University", "National Polytechnic University of Armenia"),
    "AZ": ("Baku State University", "Azerbaijan Technical University"),
    "GE": ("Tbilisi State University", "Georgian Technical University"),
    "CN": (
        "Tsinghua University",
        "Beihang University",
        "Harbin Institute of Technology",
        "Northwestern Polytechnical University",
    ),
    "IN": (
        "Indian Institute of Technology Bombay",
        "Indian Institute of Space Science and Technology",
        "Indian Institute of Science",
        "Anna University",
    ),
    "NP": ("Tribhuvan University",),
    "PK": ("National University of Sciences and Technology", "Institute of Space Technology"),
    "BR": (
        "Instituto Tecnológico de Aeronáutica",
        "Universidade de São Paulo",
        "Universidade Federal do Rio de Janeiro",
    ),
    "ZA": ("Stellenbosch University", "University of Cape Town", "University of the Witwatersrand"),
    "EG": ("Cairo University", "Alexandria University", "Ain Shams University"),
    "ET": ("Addis Ababa University", "Addis Ababa Science and Technology University"),
    "IR": ("Sharif University of Technology", "Amirkabir University of Technology", "University of Tehran"),
    "AE": ("Khalifa University", "United Arab Emirates University"),
    "SA": ("King Abdulaziz University", "King Fahd University of Petroleum and Minerals"),
    "DZ": ("University of Science and Technology Houari Boumediene",),
    "JO": ("University of Jordan", "Jordan University of Science and Technology"),
    "TR": ("Istanbul Technical University", "Middle East Technical University"),
    "ID": ("Bandung Institute of Technology", "Universitas Indonesia"),
    "VN": ("Hanoi University of Science and Technology", "Vietnam National University"),
    "KR": ("KAIST", "Seoul National University"),
    "JP": ("University of Tokyo", "Tohoku University"),
    "NG": ("University of Lagos", "Obafemi Awolowo University", "Ahmadu Bello University"),
    "KE": ("University of Nairobi",),
    "GH": ("Kwame Nkrumah University of Science and Technology",),
    "MX": ("Universidad Nacional Autónoma de México", "Instituto Politécnico Nacional"),
    "AR": ("Universidad de Buenos Aires", "Universidad Nacional de La Plata"),
    "CO": ("Universidad Nacional de Colombia",),
    "CL": ("Universidad de Chile",),
    "CU": ("Universidad de La Habana",),
    "BG": ("Sofia University", "Technical University of Sofia"),
    "GR": ("National Technical University of Athens",),
    "DE": ("Technical University of Munich", "RWTH Aachen University"),
    "FR": ("ISAE-SUPAERO", "École polytechnique"),
    "IT": ("Politecnico di Milano", "Sapienza University of Rome"),
}


@dataclass(frozen=True)
class HostSpec:
    """A fictional host organisation of the demo programme."""

    slug: str
    name: str
    kind: str  # hosts.models.OrganisationKind value
    sector: str
    region: str
    city: str


HOST_ORGANISATIONS: tuple[HostSpec, ...] = (
    HostSpec("federal-space", "Federal Space Corporation", "state_corporation", "space", "Moscow", "Moscow"),
    HostSpec(
        "united-rocket",
        "United Rocket and Space Works",
        "state_corporation",
        "space.launch",
        "Moscow Oblast",
        "Korolyov",
    ),
    HostSpec(
        "volga-launch", "Volga Launch Vehicle Plant", "state_corporation", "space.launch", "Samara Oblast", "Samara"
    ),
    HostSpec(
        "satellite-systems",
        "Siberian Satellite Systems",
        "state_corporation",
        "space.manufacturing",
        "Krasnoyarsk Krai",
        "Zheleznogorsk",
    ),
    HostSpec(
        "nuclear-space",
        "Nuclear Space Power Corporation",
        "state_corporation",
        "space.nuclear-power",
        "Moscow",
        "Moscow",
    ),
    HostSpec("orbital-dynamics", "Orbital Dynamics", "private_company", "space.orbital.satcom", "Moscow", "Moscow"),
    HostSpec(
        "terra-vision",
        "TerraVision Earth Observation",
        "private_company",
        "space.orbital.earth-observation",
        "Saint Petersburg",
        "Saint Petersburg",
    ),
    HostSpec(
        "relay-constellation",
        "Relay Constellation Systems",
        "private_company",
        "space.orbital.data-relay",
        "Moscow Oblast",
        "Skolkovo",
    ),
    HostSpec(
        "signal-nav",
        "SignalNav Positioning",
        "private_company",
        "space.orbital.navigation",
        "Novosibirsk Oblast",
        "Novosibirsk",
    ),
    HostSpec(
        "ion-thrust",
        "Ion Thrust Technologies",
        "private_company",
        "space.propulsion",
        "Kaliningrad Oblast",
        "Kaliningrad",
    ),
    HostSpec(
        "smallsat-factory",
        "SmallSat Factory",
        "private_company",
        "space.manufacturing",
        "Republic of Tatarstan",
        "Innopolis",
    ),
    HostSpec(
        "northern-launch", "Northern Launch Services", "private_company", "space.launch", "Arkhangelsk Oblast", "Mirny"
    ),
    HostSpec(
        "space-research-institute",
        "Institute of Space Research",
        "research_institute",
        "space.research",
        "Moscow",
        "Moscow",
    ),
    HostSpec(
        "propulsion-physics",
        "Institute of Propulsion Physics",
        "research_institute",
        "space.propulsion",
        "Moscow Oblast",
        "Khimki",
    ),
    HostSpec(
        "space-medicine",
        "Institute of Space Medicine and Biology",
        "research_institute",
        "space.crewed",
        "Moscow",
        "Moscow",
    ),
    HostSpec(
        "applied-geodesy",
        "Institute of Applied Geodesy and Navigation",
        "research_institute",
        "space.orbital.navigation",
        "Moscow",
        "Moscow",
    ),
    HostSpec("aerospace-university", "National Aerospace University", "university", "space", "Samara Oblast", "Samara"),
    HostSpec(
        "space-systems-university",
        "Technical University of Space Systems",
        "university",
        "space.research",
        "Tomsk Oblast",
        "Tomsk",
    ),
    HostSpec(
        "northern-synchrotron",
        "Northern Synchrotron Facility",
        "megascience_facility",
        "space.research",
        "Novosibirsk Oblast",
        "Koltsovo",
    ),
    HostSpec(
        "heavy-ion-collider",
        "Heavy-Ion Collider Complex",
        "megascience_facility",
        "space.research",
        "Moscow Oblast",
        "Dubna",
    ),
    HostSpec("crew-training", "Crew Training Centre", "other", "space.crewed", "Moscow Oblast", "Star City"),
    HostSpec(
        "eastern-spaceport",
        "Eastern Spaceport Operations Centre",
        "other",
        "space.centres",
        "Amur Oblast",
        "Tsiolkovsky",
    ),
)


@dataclass(frozen=True)
class DemoLogin:
    """One demo account printed by ``demo serve``; staff and superuser flags as Django's admin needs them."""

    role: str  # accounts.roles.Role value
    email: str
    first_name: str
    last_name: str
    is_staff: bool = False
    is_superuser: bool = False
    organisation: str = ""  # HostSpec.slug for host roles


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("candidate", "candidate@demo.talentgate.test", "Aigerim", "Seitkali"),
    DemoLogin("host_admin", "host.admin@demo.talentgate.test", "Pavel", "Orlov", organisation="orbital-dynamics"),
    DemoLogin("host_staff", "host.staff@demo.talentgate.test", "Irina", "Sokolova", organisation="orbital-dynamics"),
    DemoLogin("officer", "officer@demo.talentgate.test", "Olga", "Belova", is_staff=True),
    DemoLogin("supervisor", "supervisor@demo.talentgate.test", "Sergey", "Volkov", is_staff=True),
    DemoLogin("reviewer", "reviewer@demo.talentgate.test", "Nadezhda", "Kuznetsova"),
    DemoLogin("authority", "authority@demo.talentgate.test", "Dmitry", "Lebedev"),
    DemoLogin("analyst", "analyst@demo.talentgate.test", "Anna", "Morozova"),
    DemoLogin("administrator", "admin@demo.talentgate.test", "Admin", "Talentgate", is_staff=True, is_superuser=True),
)


@dataclass(frozen=True)
class ProgrammeSpec:
    code: str
    name_en: str
    name_ru: str
    description: str


PROGRAMME = ProgrammeSpec(
    "national-talent",
    "National Talent Attraction Programme",
    "Национальная программа привлечения специалистов",
    "The demo programme: foreign specialists for the space industry's priority sectors, selected by merit, "
    "relocated with the programme's support and handed to the immigration authority for their permits.",
)
