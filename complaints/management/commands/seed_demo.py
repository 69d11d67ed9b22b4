"""Demo data for the embedded run: councils, councillors, staff logins and a year of complaints.

Idempotent: councils are keyed on slug, councillors on council + name, accounts on platform +
handle, users on username, and each demo complaint on its complainant's e-mail address, so a
second run finds everything in place and writes nothing.

Complaints go through complaint_submit, as the public form does. The service stamps history
with the current time, so each step runs on a demo clock set to the day it "happened"; nothing
is rewritten afterwards (events are append-only).
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import logging
import textwrap
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from unittest import mock

import yaml
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from complaints import roles
from complaints.models import (
    Assessment,
    Authority,
    AuthorityKind,
    CapacityIndicator,
    Case,
    ClosureDay,
    ComplainantType,
    Complaint,
    Councillor,
    Deadline,
    DeadlineKind,
    Decision,
    EventKind,
    Nation,
    OfficerProfile,
    OutboxMessage,
    OutboxStatus,
    Outcome,
    Platform,
    PublicInterestQuestion,
    Recommendation,
    SocialMediaAccount,
    Stage,
    TakedownRequest,
    TakedownStatus,
    TimeLimit,
)
from complaints.selectors.assessment import DEFAULT_PUBLIC_INTEREST_QUESTIONS
from complaints.services.cases import case_link, case_stage_set
from complaints.services.clocks import clock_start
from complaints.services.closure_days import closure_days_seed
from complaints.services.complaints import ComplainantDetails, PostDetails, complaint_submit
from complaints.services.events import event_record
from complaints.services.evidence_files import evidence_file_store
from complaints.services.notices import notice_publish

DEFAULT_PASSWORD = "demo-password-2026"  # noqa: S105  (a published demo password, not a secret)
MODEL_CODE_SLUG = "lga-model-code-2020"
CODE_EFFECTIVE_FROM = date(2021, 5, 20)

# --- councils and people ---------------------------------------------------------------------

DISTRICT = {
    "slug": "northmoor",
    "name": "Northmoor District Council",
    "kind": AuthorityKind.DISTRICT,
    "clerk_name": "Democratic Services",
    "clerk_email": "democratic.services@northmoor.example.gov.uk",
    "website": "https://www.northmoor.example.gov.uk/",
}
LOCAL_COUNCILS = [
    {
        "slug": "ashby-lane",
        "name": "Ashby Lane Parish Council",
        "kind": AuthorityKind.PARISH,
        "clerk_name": "Margaret Holt",
        "clerk_email": "clerk@ashbylane-pc.example.org.uk",
        "website": "https://ashbylane-pc.example.org.uk/",
    },
    {
        "slug": "kingsford",
        "name": "Kingsford Town Council",
        "kind": AuthorityKind.TOWN,
        "clerk_name": "David Okafor",
        "clerk_email": "town.clerk@kingsford-tc.example.org.uk",
        "website": "https://kingsford-tc.example.org.uk/",
    },
    {
        "slug": "little-wetherby",
        "name": "Little Wetherby Parish Council",
        "kind": AuthorityKind.PARISH,
        "clerk_name": "Susan Pryce",
        "clerk_email": "clerk@littlewetherby-pc.example.org.uk",
        "website": "",
    },
]

ELECTED_2015 = date(2015, 5, 7)
ELECTED_2019 = date(2019, 5, 2)
ELECTED_2023 = date(2023, 5, 4)
TERM_ENDED_2023 = date(2023, 5, 3)

# (council slug, name, ward, party, term start, term end, [(platform, handle, url, presents as Cllr)])
COUNCILLORS = [
    (
        "northmoor",
        "Helen Marsh",
        "Abbey",
        "Conservative",
        ELECTED_2019,
        None,
        [
            (Platform.X, "@CllrHelenMarsh", "https://x.com/CllrHelenMarsh", True),
            (Platform.FACEBOOK, "Helen Marsh", "https://www.facebook.com/helen.marsh.1974", False),
        ],
    ),
    (
        "northmoor",
        "Tom Beckett",
        "Castle",
        "Labour",
        ELECTED_2023,
        None,
        [
            (Platform.FACEBOOK, "Councillor Tom Beckett", "https://www.facebook.com/CllrTomBeckett", True),
        ],
    ),
    (
        "northmoor",
        "Priya Shah",
        "Riverside",
        "Liberal Democrats",
        ELECTED_2019,
        None,
        [
            (Platform.X, "@PriyaShahLD", "https://x.com/PriyaShahLD", True),
        ],
    ),
    (
        "northmoor",
        "Gareth Lloyd",
        "Northmoor Central",
        "Independent",
        ELECTED_2015,
        None,
        [
            (Platform.FACEBOOK, "Gareth Lloyd", "https://www.facebook.com/gareth.lloyd.garage", False),
        ],
    ),
    (
        "northmoor",
        "Janet Whitfield",
        "Fenside",
        "Conservative",
        ELECTED_2019,
        TERM_ENDED_2023,
        [
            (Platform.X, "@jan_whitfield", "https://x.com/jan_whitfield", False),
        ],
    ),
    (
        "northmoor",
        "Michael O'Connor",
        "Moorgate",
        "Labour",
        ELECTED_2023,
        None,
        [
            (Platform.X, "@CllrMikeOC", "https://x.com/CllrMikeOC", True),
        ],
    ),
    (
        "northmoor",
        "Sarah Lindqvist",
        "St Anne's",
        "Green Party",
        ELECTED_2023,
        None,
        [
            (Platform.INSTAGRAM, "sarahgreen_northmoor", "https://www.instagram.com/sarahgreen_northmoor/", False),
        ],
    ),
    (
        "northmoor",
        "Robert Hale",
        "Westfield",
        "Reform UK",
        ELECTED_2023,
        None,
        [
            (Platform.X, "@RobHaleNorthmoor", "https://x.com/RobHaleNorthmoor", True),
        ],
    ),
    ("northmoor", "Angela Price", "Abbey", "Conservative", ELECTED_2019, None, []),
    ("northmoor", "David Chen", "Riverside", "Liberal Democrats", ELECTED_2023, None, []),
    ("northmoor", "Keith Brannigan", "Fenside", "Independent", date(2011, 5, 5), TERM_ENDED_2023, []),
    ("ashby-lane", "Linda Carver", "", "Independent", ELECTED_2023, None, []),
    (
        "ashby-lane",
        "Paul Ferris",
        "",
        "Independent",
        ELECTED_2019,
        None,
        [
            (Platform.WHATSAPP, "Paul Ferris (Ashby Lane councillors group)", "", False),
        ],
    ),
    ("ashby-lane", "Dorothy Mills", "", "Independent", ELECTED_2019, date(2026, 1, 31), []),
    (
        "kingsford",
        "Craig Dunmore",
        "North",
        "Conservative",
        ELECTED_2023,
        None,
        [
            (Platform.FACEBOOK, "Cllr Craig Dunmore", "https://www.facebook.com/CllrCraigDunmore", True),
        ],
    ),
    ("kingsford", "Fiona Ashworth", "South", "Labour", ELECTED_2023, None, []),
    (
        "kingsford",
        "Wayne Tilley",
        "Central",
        "Independent",
        ELECTED_2019,
        None,
        [
            (Platform.FACEBOOK, "Wayne Tilley", "https://www.facebook.com/wayne.tilley.kingsford", False),
        ],
    ),
    ("kingsford", "Beverley Stokes", "North", "Conservative", ELECTED_2015, TERM_ENDED_2023, []),
    (
        "little-wetherby",
        "Nigel Pembury",
        "",
        "Independent",
        ELECTED_2015,
        None,
        [
            (Platform.FACEBOOK, "Nigel Pembury", "https://www.facebook.com/nigel.pembury", False),
        ],
    ),
    ("little-wetherby", "Ruth Ellison", "", "Independent", ELECTED_2019, None, []),
    ("little-wetherby", "Alan Fisk", "", "Independent", ELECTED_2023, None, []),
]

# (username, first, last, e-mail, group, staff, superuser, role shown in the logins table)
# What each demo login is for, printed beside it by `make run` and listed in the README.
LOGIN_PURPOSES = {
    "mo": "the officer dashboard /officer/ (every case of the council) and /admin/ (users, codes, guidance)",
    "deputy": "/officer/ and /admin/: every case of the council, for when the MO is conflicted",
    "officer": "/officer/ and /admin/: day-to-day work on complaints and evidence",
    "ip1": "/officer/: the Independent Person consulted on cases (no admin access)",
    "ip2": "/officer/: a second Independent Person, for conflicts (no admin access)",
    "investigator": "/officer/: only the one case they are appointed to investigate (no admin access)",
    "committee": "a Standards Committee member who receives reports; sees no case (no admin access)",
}

USERS = [
    (
        "mo",
        "Rachel",
        "Adeyemi",
        "rachel.adeyemi@northmoor.example.gov.uk",
        "Monitoring Officer",
        True,
        True,
        "Monitoring Officer (admin)",
    ),
    (
        "deputy",
        "James",
        "Thornton",
        "james.thornton@northmoor.example.gov.uk",
        "Deputy Monitoring Officer",
        True,
        False,
        "Deputy Monitoring Officer",
    ),
    (
        "officer",
        "Amira",
        "Hussain",
        "amira.hussain@northmoor.example.gov.uk",
        roles.CASE_OFFICER,
        True,
        False,
        "Case officer",
    ),
    ("ip1", "Patricia", "Lowe", "patricia.lowe@example.org", "Independent Person", False, False, "Independent Person"),
    ("ip2", "Colin", "Garside", "colin.garside@example.org", "Independent Person", False, False, "Independent Person"),
    (
        "investigator",
        "Helen",
        "Marsh",
        "helen.marsh@example.org",
        roles.INVESTIGATOR,
        False,
        False,
        "Investigator (appointed cases only)",
    ),
    (
        "committee",
        "Derek",
        "Oduya",
        "cllr.derek.oduya@northmoor.example.gov.uk",
        roles.COMMITTEE_MEMBER,
        False,
        False,
        "Standards Committee member",
    ),
]
# Roles that work on every case of the council (the others see only what they are given).
_COUNCIL_ROLES = {roles.MONITORING_OFFICER, roles.DEPUTY_MONITORING_OFFICER, roles.CASE_OFFICER}


# --- the complaints --------------------------------------------------------------------------

FB_HOTEL_POST = "https://www.facebook.com/CllrCraigDunmore/posts/pfbid02kXhotel7731"
HOTEL_TEXT = (
    "The Kingsford Arms is full of so-called 'asylum seekers' living it up on our taxes while our own "
    "veterans sleep in doorways on the High Street. If the council won't act, it's time the people of "
    "Kingsford took matters into their own hands. Share if you agree!"
)
HOTEL_WHY = "The page is called 'Cllr Craig Dunmore' and the post is about the town council's area."


@dataclass(frozen=True)
class Post:
    platform: str
    account: str
    text: str
    url: str = ""
    days_before: int = 1
    indicators: tuple[str, ...] = ()
    why: str = ""


@dataclass(frozen=True)
class Step:
    """A stage the case reached, `after` days after the complaint arrived."""

    after: int
    stage: str
    outcome: str = ""
    note: str = ""


@dataclass(frozen=True)
class DemoComplaint:
    email: str  # fixed per demo complaint: how a second run knows it is already there
    name: str
    complainant_type: str
    days_ago: int
    council: str
    councillors: tuple[str, ...]
    post: Post
    clauses: tuple[str, ...]
    outcome_sought: str
    type_other: str = ""
    confidential: str = ""
    screenshot: bool = True
    link_to: str = ""  # the e-mail of the complaint whose case this one joins
    officer: str = "officer"
    steps: tuple[Step, ...] = field(default_factory=tuple)
    viral: bool = False  # its screenshot is one of many slightly different captures of the same post


COMPLAINTS = [
    DemoComplaint(
        email="brian.cotterill@example.com",
        name="Brian Cotterill",
        complainant_type=ComplainantType.PUBLIC,
        days_ago=300,
        council="northmoor",
        councillors=("Helen Marsh",),
        post=Post(
            Platform.X,
            "@CllrHelenMarsh",
            "Yet another moan from Brian at 14 Abbey Road about the bins. Some people have nothing better "
            "to do than waste council time. Get a life, Brian. #Abbey",
            "https://twitter.com/CllrHelenMarsh/status/1884412290133?s=20",
            days_before=2,
            indicators=("account_name", "council_business"),
            why="Her account is called 'Cllr Helen Marsh' and she was replying to my e-mail to her as my councillor.",
        ),
        clauses=("1", "5"),
        outcome_sought="An apology and for the post to be taken down. She named my road.",
        steps=(
            Step(2, Stage.ACKNOWLEDGED),
            Step(6, Stage.MEMBER_COMMENT),
            Step(21, Stage.ASSESSMENT),
            Step(
                34,
                Stage.INFORMAL_RESOLUTION,
                Outcome.INFORMAL_RESOLUTION,
                "The post named a resident and his address and mocked him. Informal resolution: a written "
                "apology and removal of the post within 5 working days.",
            ),
            Step(
                58,
                Stage.CLOSED,
                Outcome.INFORMAL_RESOLUTION,
                "Cllr Marsh apologised in writing and removed the post; removal verified.",
            ),
        ),
    ),
    DemoComplaint(
        email="nadia.karim@example.org",
        name="Nadia Karim",
        complainant_type=ComplainantType.OFFICER,
        days_ago=270,
        council="northmoor",
        councillors=("Tom Beckett",),
        post=Post(
            Platform.FACEBOOK,
            "Councillor Tom Beckett",
            "Residents deserve to know. In tonight's CLOSED session Cabinet was told the depot site is being "
            "sold to Harcastle Homes for £1.2m below the valuation in the exempt report. I've attached the "
            "page they didn't want you to see.",
            "https://www.facebook.com/CllrTomBeckett/posts/pfbid0depot2291",
            days_before=1,
            indicators=("account_name", "council_business", "privileged_information"),
            why="He posted page 4 of the exempt Part 2 Cabinet report, which only councillors received.",
        ),
        clauses=("4", "5"),
        outcome_sought="An investigation. Commercially confidential information was disclosed.",
        officer="deputy",
        steps=(
            Step(1, Stage.ACKNOWLEDGED),
            Step(3, Stage.MEMBER_COMMENT),
            Step(17, Stage.ASSESSMENT),
            Step(
                38,
                Stage.INVESTIGATION,
                Outcome.INVESTIGATION,
                "Disclosure of an exempt report is a potentially serious breach of paragraph 4; the "
                "Independent Person agreed it should be investigated.",
            ),
            Step(150, Stage.HEARING, Outcome.INVESTIGATION, "Investigator's final report finds a breach."),
            Step(
                176,
                Stage.CLOSED,
                Outcome.BREACH,
                "The Hearing Sub-Committee found breaches of paragraphs 4 and 5. Sanction: censure, "
                "publication of the findings and confidentiality training.",
            ),
        ),
    ),
    DemoComplaint(
        email="simon.greaves@example.co.uk",
        name="Simon Greaves",
        complainant_type=ComplainantType.OTHER,
        type_other="Planning agent for the applicant",
        days_ago=200,
        council="northmoor",
        councillors=("Michael O'Connor",),
        post=Post(
            Platform.X,
            "@CllrMikeOC",
            "I'll be voting AGAINST Fenwick Farm (25/01432/OUT) at Planning Committee on Thursday whatever "
            "the officers recommend. 300 houses on our green fields? Not on my watch. #SaveFenwick",
            "https://x.com/CllrMikeOC/status/1901133458812",
            days_before=3,
            indicators=("account_name", "council_business", "signed_off"),
            why="He sits on the Planning Committee that decides the application and posted as 'Cllr'.",
        ),
        clauses=("5", "6"),
        outcome_sought="That Cllr O'Connor does not take part in the decision on our client's application.",
        steps=(
            Step(1, Stage.ACKNOWLEDGED),
            Step(4, Stage.MEMBER_COMMENT),
            Step(16, Stage.ASSESSMENT),
            Step(
                30,
                Stage.CLOSED,
                Outcome.NO_FURTHER_ACTION,
                "Cllr O'Connor stood down from the committee for this item on legal advice. Predetermination "
                "goes to the lawfulness of the planning decision, which has been addressed; further action "
                "under the Code is not in the public interest.",
            ),
        ),
    ),
    DemoComplaint(
        email="david.okafor.clerk@example.org.uk",
        name="David Okafor",
        complainant_type=ComplainantType.CLERK,
        days_ago=150,
        council="kingsford",
        councillors=("Wayne Tilley",),
        post=Post(
            Platform.FACEBOOK,
            "Wayne Tilley",
            "OFFICIAL STATEMENT: Kingsford Town Council will NOT be supporting the proposed site at Mill "
            "Meadow. We have been let down by Northmoor again. [Kingsford Town Council crest]",
            "https://m.facebook.com/wayne.tilley.kingsford/posts/7712093?mibextid=Nif5oz",
            days_before=2,
            indicators=("branding", "council_business"),
            why="He used the town council's crest and called it an official statement; the council has taken "
            "no such decision.",
        ),
        clauses=("5", "7"),
        outcome_sought="The post removed and Cllr Tilley reminded that he cannot speak for the council.",
        steps=(
            Step(1, Stage.ACKNOWLEDGED),
            Step(12, Stage.ASSESSMENT),
            Step(
                25,
                Stage.INFORMAL_RESOLUTION,
                Outcome.INFORMAL_RESOLUTION,
                "Presenting a personal view as the council's, with its crest. Informal resolution: advice "
                "note and removal of the post.",
            ),
        ),
    ),
    DemoComplaint(
        email="priya.shah.cllr@example.org",
        name="Priya Shah",
        complainant_type=ComplainantType.COUNCILLOR,
        days_ago=95,
        council="northmoor",
        councillors=("Robert Hale",),
        post=Post(
            Platform.X,
            "@RobHaleNorthmoor",
            "Retweeting @NorthmoorWatch: 'Cllr Shah in tears at full council again'. Comment: 'Spot on. Women "
            "in politics: all emotion, no sense. Back to the kitchen, Priya.'",
            "https://x.com/RobHaleNorthmoor/status/1944418837",
            days_before=1,
            indicators=("account_name", "council_business", "high_profile"),
            why="It is about a full council meeting and his account is his councillor account.",
        ),
        clauses=("1", "2"),
        outcome_sought="An investigation. This is sexist abuse of a fellow councillor.",
        officer="deputy",
        steps=(
            Step(1, Stage.ACKNOWLEDGED),
            Step(3, Stage.MEMBER_COMMENT),
            Step(18, Stage.ASSESSMENT),
            Step(
                33,
                Stage.INVESTIGATION,
                Outcome.INVESTIGATION,
                "Sexist remarks about a fellow member, amplified by a retweet with comment; the IP's view "
                "is that the public interest requires investigation.",
            ),
        ),
    ),
    # One viral post, five complaints: logged one by one, handled as one case.
    DemoComplaint(
        email="hannah.wells@example.com",
        name="Hannah Wells",
        complainant_type=ComplainantType.PUBLIC,
        days_ago=62,
        council="kingsford",
        councillors=("Craig Dunmore",),
        post=Post(
            Platform.FACEBOOK,
            "Cllr Craig Dunmore",
            HOTEL_TEXT,
            FB_HOTEL_POST,
            1,
            ("account_name", "council_business", "high_profile"),
            HOTEL_WHY,
        ),
        clauses=("1", "2", "5"),
        outcome_sought="The post removed and an investigation. It is inciting people against refugees.",
        steps=(
            Step(1, Stage.ACKNOWLEDGED),
            Step(4, Stage.MEMBER_COMMENT),
            Step(18, Stage.ASSESSMENT),
        ),
    ),
    DemoComplaint(
        email="omar.siddiqui@example.com",
        name="Omar Siddiqui",
        complainant_type=ComplainantType.PUBLIC,
        days_ago=62,
        council="kingsford",
        councillors=("Craig Dunmore",),
        post=Post(
            Platform.FACEBOOK,
            "Cllr Craig Dunmore",
            HOTEL_TEXT,
            FB_HOTEL_POST + "?__cft__[0]=AZW&__tn__=R",
            1,
            ("account_name",),
            HOTEL_WHY,
        ),
        clauses=("2",),
        outcome_sought="An apology to the families at the hotel.",
        link_to="hannah.wells@example.com",
    ),
    DemoComplaint(
        email="kingsford.refugee.welcome@example.org",
        name="Kingsford Refugee Welcome",
        complainant_type=ComplainantType.OTHER,
        type_other="Local charity",
        days_ago=61,
        council="kingsford",
        councillors=("Craig Dunmore",),
        post=Post(
            Platform.FACEBOOK,
            "Cllr Craig Dunmore",
            HOTEL_TEXT,
            "https://m.facebook.com/CllrCraigDunmore/posts/pfbid02kXhotel7731/?mibextid=Nif5oz",
            2,
            ("account_name", "council_business"),
            HOTEL_WHY,
        ),
        clauses=("1", "2", "5"),
        outcome_sought="Removal of the post and training for the councillor.",
        link_to="hannah.wells@example.com",
    ),
    DemoComplaint(
        email="g.pearce@example.net",
        name="Graham Pearce",
        complainant_type=ComplainantType.PUBLIC,
        days_ago=61,
        council="kingsford",
        councillors=("Craig Dunmore",),
        post=Post(Platform.FACEBOOK, "Cllr Craig Dunmore", HOTEL_TEXT, FB_HOTEL_POST, 2, (), ""),
        clauses=(),
        outcome_sought="Action against him.",
        screenshot=False,
        link_to="hannah.wells@example.com",
    ),
    DemoComplaint(
        email="fiona.ashworth.cllr@example.org",
        name="Fiona Ashworth",
        complainant_type=ComplainantType.COUNCILLOR,
        days_ago=60,
        council="kingsford",
        councillors=("Craig Dunmore",),
        post=Post(
            Platform.FACEBOOK,
            "Cllr Craig Dunmore",
            HOTEL_TEXT,
            FB_HOTEL_POST,
            3,
            ("account_name", "council_business", "profile"),
            HOTEL_WHY,
        ),
        clauses=("1", "5"),
        outcome_sought="The post removed. It brings Kingsford Town Council into disrepute.",
        link_to="hannah.wells@example.com",
    ),
    DemoComplaint(
        email="l.brennan@example.com",
        name="Louise Brennan",
        complainant_type=ComplainantType.PUBLIC,
        days_ago=120,
        council="northmoor",
        councillors=("Janet Whitfield",),
        post=Post(
            Platform.X,
            "@jan_whitfield",
            "Louise Brennan from the Fenside residents' group is a liar and everyone knows it.",
            "https://x.com/jan_whitfield/status/1930021187",
            days_before=4,
            why="She is well known as a Fenside councillor.",
        ),
        clauses=("1",),
        outcome_sought="For her to stop posting about me.",
        steps=(
            Step(1, Stage.ACKNOWLEDGED),
            Step(
                7,
                Stage.CLOSED,
                Outcome.NO_FURTHER_ACTION,
                "No jurisdiction: Janet Whitfield's term of office ended on 3 May 2023 and she was not a "
                "councillor when she posted. Complainant signposted to the police and to X's reporting tools.",
            ),
        ),
    ),
    DemoComplaint(
        email="k.ellwood@example.com",
        name="Karen Ellwood",
        complainant_type=ComplainantType.PUBLIC,
        days_ago=30,
        council="little-wetherby",
        councillors=("Nigel Pembury",),
        post=Post(
            Platform.FACEBOOK,
            "Nigel Pembury",
            "For those asking in the Little Wetherby Village Chat group: the objector to the Mill Lane barn "
            "conversion is Karen Ellwood at 4 Mill Lane. Feel free to let her know what you think.",
            "https://www.facebook.com/groups/littlewetherbychat/posts/5521093",
            days_before=2,
            indicators=("council_business", "privileged_information", "high_profile"),
            why="He is chair of the parish council and only the parish council saw the objectors' addresses.",
        ),
        clauses=("4", "1"),
        outcome_sought="The post removed and my details kept private.",
        confidential="I have had people knock on my door since the post. I am afraid of what else may happen.",
        steps=(
            Step(1, Stage.ACKNOWLEDGED),
            Step(5, Stage.MEMBER_COMMENT),
        ),
    ),
    DemoComplaint(
        email="margaret.holt.clerk@example.org.uk",
        name="Margaret Holt",
        complainant_type=ComplainantType.CLERK,
        days_ago=12,
        council="ashby-lane",
        councillors=("Paul Ferris",),
        post=Post(
            Platform.WHATSAPP,
            "Paul Ferris (Ashby Lane councillors group)",
            "Clerk's useless. If we make her life hell enough she'll quit before the precept meeting and we "
            "can get someone who does as they're told.",
            days_before=5,
            indicators=("council_business",),
            why="It was in the councillors' WhatsApp group, about council staff and council business.",
        ),
        clauses=("2", "3"),
        outcome_sought="For the bullying to stop. I am the only employee of the parish council.",
        steps=(Step(2, Stage.ACKNOWLEDGED),),
    ),
    DemoComplaint(
        email="r.patel@example.co.uk",
        name="Ravi Patel",
        complainant_type=ComplainantType.PUBLIC,
        days_ago=3,
        council="northmoor",
        councillors=("Gareth Lloyd",),
        post=Post(
            Platform.FACEBOOK,
            "Gareth Lloyd",
            "Book your MOT at Lloyd's Garage this month and I'll make sure your planning enquiry gets looked "
            "at quickly ;-) Ask for Gareth.",
            "https://www.facebook.com/gareth.lloyd.garage/posts/99812",
            days_before=6,
            indicators=("council_business", "high_profile"),
            why="He is offering to use his position as a councillor to speed up planning enquiries.",
        ),
        clauses=("6", "9"),
        outcome_sought="An investigation into whether he is using his position for his business.",
    ),
    DemoComplaint(
        email="j.morrow@example.com",
        name="Jason Morrow",
        complainant_type=ComplainantType.PUBLIC,
        days_ago=1,
        council="northmoor",
        councillors=("Sarah Lindqvist",),
        post=Post(
            Platform.INSTAGRAM,
            "sarahgreen_northmoor",
            "Photo of the St Anne's recycling centre. Comments left up for a week include 'Morrow's Skips are "
            "fly-tipping crooks, everyone knows they dump in the lanes'.",
            "https://www.instagram.com/p/C9xK2mLr4Tq/?igsh=MWx0",
            days_before=9,
            why="She posts about her ward work on this account.",
        ),
        clauses=("1", "5"),
        outcome_sought="The defamatory comments about my business removed.",
        screenshot=False,
    ),
]


# --- the command -----------------------------------------------------------------------------


class Command(BaseCommand):
    help = "Load demo councils, councillors, logins and complaints (safe to run again: it adds only what is missing)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for every demo login.")
        parser.add_argument("--logins-only", action="store_true", help="Print the demo logins and stop.")

    def handle(self, *args, password: str, logins_only: bool, **options):
        if not logins_only:
            with _quiet_task_logs(), transaction.atomic():
                created = self._seed(password)
            self._print_counts(created)
        self._print_logins(password)

    # The whole seed is one transaction: a failure leaves nothing half-written.
    def _seed(self, password: str) -> int:
        district, councils = _authorities()
        _councillors(councils)
        _adopt_code(district)
        users = _users(password, district)
        created = _complaints(councils, users, COMPLAINTS)
        created += _letters_demo(councils, users)
        created += _complaints(councils, users, caseload())
        _appoint_investigator(users)
        return created

    def _print_counts(self, created: int):
        cases = Case.objects.filter(complaints__isnull=False).distinct().count()
        self.stdout.write(
            f"Demo data: {Authority.objects.count()} councils, {Councillor.objects.count()} councillors, "
            f"{get_user_model().objects.count()} users, {Complaint.objects.count()} complaints in {cases} cases "
            f"({created} complaint(s) added by this run)."
        )

    def _print_logins(self, password: str):
        self.stdout.write(
            f"Demo logins for /officer/login/ (password for all: {password}; then the code that "
            "`python manage.py demo_code USERNAME` prints):"
        )
        self.stdout.write(f"  {'username':<13} {'role':<36} what to try with it")
        for username, *_, role in USERS:
            self.stdout.write(f"  {username:<13} {role:<36} {LOGIN_PURPOSES.get(username, '')}")


def _authorities() -> tuple[Authority, dict[str, Authority]]:
    district, _ = Authority.objects.get_or_create(
        slug=DISTRICT["slug"], defaults={**DISTRICT, "nation": Nation.ENGLAND}
    )
    councils = {district.slug: district}
    for data in LOCAL_COUNCILS:
        council, _ = Authority.objects.get_or_create(
            slug=data["slug"], defaults={**data, "nation": Nation.ENGLAND, "parent": district}
        )
        councils[council.slug] = council
    _calendar(district)
    return district, councils


def _calendar(district: Authority) -> None:
    """The council's Christmas Eve shutdowns, the closure-day seed from settings, and one time limit
    of its own (its hearings are held within 25 working days of the final report)."""
    this_year = timezone.localdate().year
    for year in (this_year, this_year + 1):
        ClosureDay.objects.get_or_create(
            authority=district, day=date(year, 12, 24), defaults={"reason": "Christmas Eve shutdown"}
        )
    closure_days_seed(authorities=[district])
    TimeLimit.objects.get_or_create(authority=district, kind=DeadlineKind.HEARING, defaults={"days": 25})
    # Its published public interest test: the questions every initial assessment answers.
    for position, text in enumerate(DEFAULT_PUBLIC_INTEREST_QUESTIONS, start=1):
        PublicInterestQuestion.objects.get_or_create(authority=district, position=position, defaults={"text": text})


def _councillors(councils: dict[str, Authority]) -> None:
    for slug, name, ward, party, start, end, accounts in COUNCILLORS:
        email_domain = "northmoor.example.gov.uk" if slug == "northmoor" else f"{slug}.example.org.uk"
        councillor, _ = Councillor.objects.get_or_create(
            authority=councils[slug],
            name=name,
            defaults={
                "ward": ward,
                "party": party,
                "term_start": start,
                "term_end": end,
                "email": f"cllr.{name.lower().replace(' ', '.').replace(chr(39), '')}@{email_domain}",
            },
        )
        for platform, handle, url, presents in accounts:
            SocialMediaAccount.objects.get_or_create(
                platform=platform,
                handle=handle,
                defaults={"councillor": councillor, "url": url, "presents_as_councillor": presents},
            )


def _adopt_code(district: Authority) -> None:
    from guidance.models import CodeOfConduct
    from guidance.services import code_adopt, guidance_load

    if district.codes.filter(effective_from=CODE_EFFECTIVE_FROM).exists():
        return
    if not CodeOfConduct.objects.filter(slug=MODEL_CODE_SLUG).exists():
        guidance_load()
    code_adopt(
        authority=district,
        model_code=CodeOfConduct.objects.get(slug=MODEL_CODE_SLUG),
        effective_from=CODE_EFFECTIVE_FROM,
    )


def _users(password: str, district: Authority) -> dict:
    groups = roles.roles_apply()
    user_model = get_user_model()
    users = {}
    for username, first, last, email, group, staff, superuser, _role in USERS:
        user, created = user_model.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": email,
                "is_staff": staff,
                "is_superuser": superuser,
            },
        )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(groups[group])
        if group in _COUNCIL_ROLES or group == roles.INDEPENDENT_PERSON:
            # An Independent Person is appointed by the council: its two IPs are offered when consulting.
            OfficerProfile.objects.get_or_create(user=user, defaults={"authority": district})
        _authenticator(user)
        users[username] = user
    return users


def _authenticator(user) -> None:
    """Every demo login has an enrolled authenticator app, whose code `demo_code` prints."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from complaints.services.two_factor import APP_DEVICE_NAME

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=True)


# --- complaints and their history ------------------------------------------------------------


@contextlib.contextmanager
def _quiet_task_logs():
    """Each acknowledgement's on-commit dispatch finds its message already sent and skips it; in the
    embedded mode (eager Celery) that would log a line per message, which is noise here."""
    loggers = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@contextlib.contextmanager
def _clock(at: datetime):
    """Run on a demo clock: every timestamp the services and auto fields write is `at`."""
    with mock.patch("django.utils.timezone.now", return_value=at):
        yield


def _at(days_ago: float, hour: int = 10, minute: int = 0) -> datetime:
    day = timezone.localdate() - timedelta(days=days_ago)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _complaints(councils: dict[str, Authority], users: dict, specs: list[DemoComplaint]) -> int:
    existing = set(
        Complaint.objects.filter(complainant_email__in=[c.email for c in specs]).values_list(
            "complainant_email", flat=True
        )
    )
    todo = [spec for spec in specs if spec.email not in existing]
    # Oldest first, so references run in date order; the viral post's first complaint leads its case.
    todo.sort(key=lambda spec: (-spec.days_ago, bool(spec.link_to)))
    for index, spec in enumerate(todo):
        _submit(spec, councils, users, minute=index % 60)
    for spec in todo:
        if spec.steps:
            _advance(Complaint.objects.get(complainant_email=spec.email).case, spec, users)
    return len(todo)


def _submit(spec: DemoComplaint, councils: dict[str, Authority], users: dict, minute: int) -> Complaint:
    from guidance.selectors import code_in_force

    authority = councils[spec.council]
    councillors = list(Councillor.objects.filter(authority=authority, name__in=spec.councillors))
    at = _at(spec.days_ago, hour=9 + minute % 8, minute=minute)
    posted_on = timezone.localdate(at) - timedelta(days=spec.post.days_before)
    code = code_in_force(authority=authority, on=posted_on)
    clauses = list(code.clauses.filter(number__in=spec.clauses)) if code else []
    evidence = []
    if spec.screenshot:
        stored = evidence_file_store(
            upload=SimpleUploadedFile(
                f"Screenshot {posted_on:%Y-%m-%d} {spec.post.account}.png",
                (_viral_screenshot if spec.viral else _screenshot)(spec.post, posted_on, variant=minute),
                content_type="image/png",
            )
        )
        evidence.append(dataclasses.replace(stored, uploaded_at=at.isoformat()))
    with _clock(at):
        complaint = complaint_submit(
            complainant=ComplainantDetails(
                name=spec.name,
                email=spec.email,
                complainant_type=spec.complainant_type,
                complainant_type_other=spec.type_other,
            ),
            authority=authority,
            councillors=councillors,
            unlisted_councillor_names="",
            posts=[
                PostDetails(
                    platform=spec.post.platform,
                    account_name=spec.post.account,
                    text_reported=spec.post.text,
                    url=spec.post.url,
                    posted_on=posted_on,
                    capacity_indicators=list(spec.post.indicators),
                    capacity_explanation=spec.post.why,
                )
            ],
            code=code,
            clauses=clauses,
            clauses_not_sure=not clauses,
            evidence=evidence,
            outcome_sought=spec.outcome_sought,
            previous_complaint="no",
            confidentiality_requested=bool(spec.confidential),
            confidentiality_reason=spec.confidential,
            now=at,
        )
    _mark_sent(complaint, at + timedelta(minutes=1))
    if spec.link_to:
        _link(complaint, Complaint.objects.get(complainant_email=spec.link_to).case, users, at + timedelta(hours=3))
    return complaint


def _mark_sent(complaint: Complaint, at: datetime) -> None:
    """Demo acknowledgements are history: recorded as sent, never actually e-mailed.

    Marking them before the transaction commits also means the on-commit dispatch finds nothing
    to claim, so seeding prints no e-mails and sends none.
    """
    for message in OutboxMessage.objects.filter(complaint=complaint, status=OutboxStatus.PENDING):
        OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxStatus.SENT, sent_at=at, attempts=1)
        if message.deadline_id:
            Deadline.objects.filter(pk=message.deadline_id, met_at__isnull=True).update(met_at=at)
        if message.case_id:
            with _clock(at):
                event_record(
                    case=message.case,
                    kind=EventKind.MESSAGE_SENT,
                    description=f"E-mail sent: {message.subject}",
                    details={"message": str(message.public_id)},
                )


def _link(complaint: Complaint, target: Case, users: dict, at: datetime) -> None:
    """Link a complaint about the same post into the case that already holds it."""
    with _clock(at):
        case_link(complaint=complaint, into=target, actor=users["officer"])


def _advance(case: Case, spec: DemoComplaint, users: dict) -> None:
    opened = case.opened_at
    officer = users[spec.officer]
    mo = users["mo"]
    for step in spec.steps:
        at = opened + timedelta(days=step.after, hours=2)
        while at.weekday() >= 5:  # officers work weekdays
            at += timedelta(days=1)
        with _clock(at):
            _enter_stage(case, step, at, officer=officer, mo=mo, ip=users["ip1"], spec=spec)


def _enter_stage(case: Case, step: Step, at: datetime, *, officer, mo, ip, spec: DemoComplaint) -> None:
    case.refresh_from_db()
    updates = {"outcome": step.outcome or case.outcome}
    if step.stage == Stage.ACKNOWLEDGED and case.assigned_officer_id is None:
        updates["assigned_officer"] = officer
    Case.objects.filter(pk=case.pk).update(**updates)
    case_stage_set(
        case=case,
        stage=step.stage,
        actor=officer,
        at=at,
        details={"outcome": step.outcome} if step.outcome else None,
    )
    if "assigned_officer" in updates:
        event_record(
            case=case,
            kind=EventKind.CASE_UPDATED,
            description=f"Assigned to {officer.get_full_name()}",
            actor=mo,
            details={"assigned_officer": officer.get_username()},
        )
    today = timezone.localdate(at)
    if step.stage == Stage.MEMBER_COMMENT:
        _deadline(case, DeadlineKind.MEMBER_RESPONSE, today)
    elif step.stage == Stage.ASSESSMENT:
        _meet(case, DeadlineKind.MEMBER_RESPONSE, at)
        _assessment(case, spec, officer=officer, at=at)
    elif step.stage in (Stage.INFORMAL_RESOLUTION, Stage.INVESTIGATION) or (
        step.stage == Stage.CLOSED and not case.decisions.exists()
    ):
        recommendation = {
            Stage.INFORMAL_RESOLUTION: Recommendation.INFORMAL_RESOLUTION,
            Stage.INVESTIGATION: Recommendation.INVESTIGATION,
        }.get(step.stage, Recommendation.NO_FURTHER_ACTION)
        assessment = _assessment(case, spec, officer=officer, at=at)
        Assessment.objects.filter(pk=assessment.pk).update(
            recommendation=recommendation,
            independent_person=ip,
            ip_consulted_at=at - timedelta(days=2),
            ip_views="The Independent Person agrees with the recommendation.",
            completed_at=at,
        )
        _meet(case, DeadlineKind.ASSESSMENT, at)
        # A closed "no further action" goes on the register too (the councillor is not named).
        _decision(case, step, mo=mo, today=today, at=at, publish=step.stage == Stage.CLOSED)
        if step.stage == Stage.INFORMAL_RESOLUTION:
            _takedown(case, officer=officer, at=at, today=today)
        elif step.stage == Stage.INVESTIGATION:
            _deadline(case, DeadlineKind.INVESTIGATION, today)
    elif step.stage == Stage.HEARING:
        _meet(case, DeadlineKind.INVESTIGATION, at)
        _deadline(case, DeadlineKind.HEARING, today)
    if step.stage == Stage.CLOSED:
        if case.decisions.exists() and not case.decisions.filter(outcome=step.outcome).exists():
            _decision(case, step, mo=mo, today=today, at=at, publish=step.outcome == Outcome.BREACH)
        for request in case.takedown_requests.exclude(status=TakedownStatus.COMPLIED):
            TakedownRequest.objects.filter(pk=request.pk).update(status=TakedownStatus.COMPLIED, removal_verified_at=at)
            request.posts.update(still_visible=False, visibility_checked_at=at, removal_confirmed_at=at)
        Deadline.objects.filter(case=case, met_at__isnull=True).update(met_at=at)


def _deadline(case: Case, kind: str, start: date) -> Deadline:
    return clock_start(case, kind, start=start)


def _meet(case: Case, kind: str, at: datetime) -> None:
    Deadline.objects.filter(case=case, kind=kind, met_at__isnull=True).update(met_at=at)


def _assessment(case: Case, spec: DemoComplaint, *, officer, at: datetime) -> Assessment:
    councillor = Councillor.objects.filter(authority=case.authority, name__in=spec.councillors).first()
    posted_on = timezone.localdate(case.opened_at) - timedelta(days=spec.post.days_before)
    in_office = councillor.in_office_on(posted_on) if councillor else None
    present = set(spec.post.indicators)
    # Every indicator answered, as the assessment form records them.
    answers = {code: {"answer": "yes" if code in present else "no", "note": ""} for code in CapacityIndicator.values}
    assessment, _ = Assessment.objects.get_or_create(
        case=case,
        defaults={
            "was_councillor_at_time": in_office,
            "acting_as_councillor": bool(present) and bool(in_office),
            "conduct_covered_by_code": bool(in_office),
            "within_time_limit": True,
            "capacity_indicators": answers,
            "capacity_view": (
                f"{len(present)} capacity indicator(s) present: {spec.post.why}"
                if present
                else "No indicator that the member was acting as a councillor."
            ),
            "public_interest_view": "Assessed against the published public interest test.",
            "assessed_by": officer,
        },
    )
    return assessment


def _decision(case: Case, step: Step, *, mo, today: date, at: datetime, publish: bool = False) -> Decision:
    decision = Decision.objects.create(
        case=case,
        outcome=step.outcome or Outcome.NO_FURTHER_ACTION,
        reasons=step.note or "See the assessment.",
        sanctions="Censure; publication of findings; training." if step.outcome == Outcome.BREACH else "",
        ip_view="The Independent Person was consulted and agrees.",
        decided_by=mo,
        decided_on=today,
    )
    complaint_clauses = [c for complaint in case.complaints.all() for c in complaint.clauses.all()]
    decision.clauses_engaged.set(complaint_clauses)
    if step.outcome == Outcome.BREACH:
        decision.clauses_breached.set(complaint_clauses)
    event_record(
        case=case,
        kind=EventKind.CASE_UPDATED,
        description=f"Decision recorded: {decision.get_outcome_display()}",
        actor=mo,
        details={"decision": str(decision.public_id), "outcome": decision.outcome},
    )
    if publish:
        notice_publish(decision=decision, actor=mo, now=at)
    return decision


def _takedown(case: Case, *, officer, at: datetime, today: date) -> TakedownRequest:
    deadline = _deadline(case, DeadlineKind.TAKEDOWN, today)
    request = TakedownRequest.objects.create(
        case=case,
        status=TakedownStatus.SENT,
        requested_at=at,
        requested_by=officer,
        due_on=deadline.due_on,
        deadline=deadline,
    )
    request.posts.set(case.posts.all())
    event_record(
        case=case,
        kind=EventKind.CASE_UPDATED,
        description=f"Takedown request sent, due {deadline.due_on:%-d %B %Y}",
        actor=officer,
        details={"takedown": str(request.public_id)},
    )
    return request


# --- the caseload: enough open cases to fill two pages of the dashboard, and a viral post ----

CASELOAD_FILE = Path(__file__).resolve().parents[2] / "data" / "demo_caseload.yaml"
INVESTIGATED_COMPLAINT = "priya.shah.cllr@example.org"


def caseload() -> list[DemoComplaint]:
    """The complaints of complaints/data/demo_caseload.yaml as demo complaints."""
    data = yaml.safe_load(CASELOAD_FILE.read_text(encoding="utf-8"))
    specs = []
    viral = data["viral"]
    post = Post(
        viral["platform"],
        viral["account"],
        " ".join(viral["text"].split()),
        viral["url"],
        viral["days_before"],
        tuple(viral["indicators"]),
        viral["why"],
    )
    leader = viral["complainants"][0][1]
    for index, (name, email, days_ago) in enumerate(viral["complainants"]):
        specs.append(
            DemoComplaint(
                email=email,
                name=name,
                complainant_type=ComplainantType.OTHER if "Support" in name else ComplainantType.PUBLIC,
                type_other="Local charity" if "Support" in name else "",
                days_ago=days_ago,
                council=viral["council"],
                councillors=(viral["councillor"],),
                post=post,
                clauses=tuple(viral["clauses"]),
                outcome_sought="The post removed and an apology to the Gypsy and Traveller community.",
                link_to=leader if 0 < index < viral["linked"] else "",
                steps=(Step(1, Stage.ACKNOWLEDGED),) if index == 0 else (),
                viral=True,
            )
        )
    for item in data["caseload"]:
        specs.append(
            DemoComplaint(
                email=item["email"],
                name=item["name"],
                complainant_type=ComplainantType.PUBLIC,
                days_ago=item["days_ago"],
                council=item["council"],
                councillors=(item["councillor"],),
                post=Post(
                    item["platform"],
                    item["account"],
                    item["text"],
                    days_before=item.get("days_before", 2),
                    indicators=tuple(item.get("indicators", ())),
                    why=item.get("why", ""),
                ),
                clauses=tuple(item["clauses"]),
                outcome_sought=item["sought"],
                confidential=item.get("confidential", ""),
                officer=item.get("officer", "officer"),
                steps=tuple(Step(after, stage) for after, stage in item.get("steps", ())),
            )
        )
    return specs


def _appoint_investigator(users: dict) -> None:
    """The demo investigator is appointed to one case (the one under investigation), and sees only it."""
    case = Case.objects.filter(complaints__complainant_email=INVESTIGATED_COMPLAINT).first()
    if case is None or case.investigator_id is not None:
        return
    investigator = users["investigator"]
    at = case.opened_at + timedelta(days=35)
    Case.objects.filter(pk=case.pk).update(investigator=investigator)
    event_record(
        case=case,
        kind=EventKind.CASE_ASSIGNED,
        description=f"{investigator.get_full_name()} appointed to investigate",
        actor=users["mo"],
        details={"investigator": investigator.get_username()},
        at=at,
    )


# --- letters: a takedown request on a case whose complainant was granted confidentiality ------

LETTERS_DEMO = DemoComplaint(
    email="alison.lambert@example.com",
    name="Alison Lambert",
    complainant_type=ComplainantType.PUBLIC,
    days_ago=48,
    council="northmoor",
    councillors=("Helen Marsh",),
    post=Post(
        Platform.FACEBOOK,
        "Helen Marsh",
        "Alison Lambert of 7 Abbey Close keeps e-mailing me about the Abbey care home closure. I've had "
        "enough. If anyone sees her at Thursday's ward surgery, tell her what you think of her. Councillor "
        "business is for people who vote, not moaners.",
        "https://www.facebook.com/helen.marsh.1974/posts/pfbid0abbeyclose55",
        days_before=2,
        indicators=("council_business", "signed_off"),
        why="She signs it as councillor and it is about her ward surgery and a council decision.",
    ),
    clauses=("1", "2"),
    outcome_sought="The post taken down. I do not want Cllr Marsh to know I complained.",
    confidential="Cllr Marsh has already encouraged people to confront me; I fear what happens if she knows.",
    steps=(
        Step(1, Stage.ACKNOWLEDGED),
        Step(3, Stage.MEMBER_COMMENT),
        Step(17, Stage.ASSESSMENT),
        Step(
            30,
            Stage.INFORMAL_RESOLUTION,
            Outcome.INFORMAL_RESOLUTION,
            "The post names a resident, gives her street and invites others to confront her. Informal "
            "resolution: removal of the post within 5 working days and an advice note on the Code.",
        ),
    ),
)
LETTERS_DEMO_ADDRESS = "7 Abbey Close\nNorthmoor\nNM2 4QT"


def _letters_demo(councils: dict[str, Authority], users: dict) -> int:
    """A case for the letters: a sent takedown request, a decision, and a complainant whose
    request for confidentiality was granted (so the letters must withhold her identity)."""
    spec = LETTERS_DEMO
    if Complaint.objects.filter(complainant_email=spec.email).exists():
        return 0
    from complaints.services.confidentiality import complaint_confidentiality_decide

    complaint = _submit(spec, councils, users, minute=59)
    Complaint.objects.filter(pk=complaint.pk).update(complainant_address=LETTERS_DEMO_ADDRESS)
    with _clock(complaint.submitted_at + timedelta(days=1, hours=1)):
        complaint_confidentiality_decide(complaint=complaint, granted=True, actor=users["mo"])
    _advance(complaint.case, spec, users)
    return 1


# --- screenshots -----------------------------------------------------------------------------

_PLATFORM_COLOURS = {
    Platform.X: ("#000000", "#ffffff"),
    Platform.FACEBOOK: ("#1877f2", "#f0f2f5"),
    Platform.INSTAGRAM: ("#c13584", "#fafafa"),
    Platform.WHATSAPP: ("#075e54", "#ece5dd"),
}


def _screenshot(post: Post, posted_on: date, variant: int = 0) -> bytes:
    """A small PNG standing in for a complainant's screenshot of the post."""
    from PIL import Image, ImageDraw, ImageFont

    bar, background = _PLATFORM_COLOURS.get(post.platform, ("#444444", "#ffffff"))
    lines = textwrap.wrap(post.text, width=52)
    width, height = 760, 190 + 30 * len(lines) + _PHOTO_HEIGHT
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    big = ImageFont.load_default(size=24)
    body = ImageFont.load_default(size=20)
    small = ImageFont.load_default(size=15)
    # A phone status bar whose clock differs between screenshots of the same post.
    draw.rectangle((0, 0, width, 28), fill="#222222")
    draw.text((12, 5), f"{9 + variant % 10}:{(variant * 7) % 60:02d}", fill="#ffffff", font=small)
    draw.rectangle((0, 28, width, 88), fill=bar)
    draw.text((20, 44), dict(Platform.choices)[post.platform], fill="#ffffff", font=big)
    draw.ellipse((20, 104, 68, 152), fill=bar)
    draw.text((82, 104), post.account, fill="#111111", font=big)
    draw.text((82, 134), f"{posted_on:%-d %b %Y}", fill="#666666", font=small)
    y = 168
    for line in lines:
        draw.text((20, y), line, fill="#111111", font=body)
        y += 30
    _photo(draw, post.text, top=y + 10, width=width)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


_PHOTO_HEIGHT = 260


def _photo(draw, text: str, *, top: int, width: int) -> None:
    """The photo attached to the post: blocks of colour drawn from the post's text, so screenshots
    of different posts look different to a perceptual hash and those of one post look alike."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    columns, rows = 4, 3
    cell_w, cell_h = (width - 40) // columns, (_PHOTO_HEIGHT - 20) // rows
    for index in range(columns * rows):
        shade = digest[index]
        colour = (shade, digest[index + 12] // 2 + 64, 255 - shade)
        x, y = 20 + (index % columns) * cell_w, top + (index // columns) * cell_h
        draw.rectangle((x, y, x + cell_w, y + cell_h), fill=colour if shade % 2 else "#f4f4f4")


def _viral_screenshot(post: Post, posted_on: date, variant: int = 0) -> bytes:
    """One of many captures of the same post: another phone's clock, width and brightness, so
    each file differs (its own SHA-256) while the picture stays a near-duplicate."""
    from PIL import Image, ImageEnhance

    image = Image.open(io.BytesIO(_screenshot(post, posted_on, variant=variant))).convert("RGB")
    width, height = image.size
    trim = variant % 3 * 2
    image = image.crop((trim, 0, width - trim, height - variant % 2 * 3))
    image = ImageEnhance.Brightness(image).enhance(0.98 + (variant % 3) * 0.02)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
