"""Which export file is which: one ordered table (docs/export-format.md §4), matched by normalised
name. A new LinkedIn file is one row here plus a sample. Files not listed are still read, as
generic CSVs of kind `unknown` (nothing in an export is dropped).
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import itertools
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from inventory.csvdialect import COMMENT_QUIRKS, Quirks, TableRefused, column_key, decode
from inventory.problems import Message


@dataclass(frozen=True)
class FileSpec:
    id: str  # normalised stem; also the item's `file_kind`
    kind: str  # item kind (items.KINDS)
    reader: str = "rows"  # rows | fields (one item per non-empty cell) | applications | messages | article | none
    date: tuple[str, ...] = ()  # candidate date columns, first present wins
    title: tuple[str, ...] = ()  # columns joined with a space
    text: tuple[str, ...] = ()  # columns joined with a line break
    url: tuple[str, ...] = ()  # first present, non-empty column
    key: tuple[str, ...] = ()  # identity columns; "@urn:<col>" = URN inside col, "@text" = item text
    field: str | None = None  # column copied into `field` (saved answers: the question)
    html: tuple[str, ...] = ()  # columns holding HTML
    visibility: str | None = None
    quirks: Quirks = Quirks()
    media: tuple[str, ...] = ()  # URL columns that differ between the rows of one record (one row per medium)
    twin: str | None = None  # the spec id of a file that holds the same records written differently
    # The file's header line in each era seen (docs/export-format.md §4), as written: the file is
    # recognised by them when its name is unknown or misleading, and a cell in a column none
    # of them names may hold text (readers.read_rows).
    headers: tuple[str, ...] = ()


def _s(*names: str) -> tuple[str, ...]:
    return names


_h = _s  # header lines, one per era

_MESSAGES_10 = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,"
                "SUBJECT,CONTENT,FOLDER")
MESSAGE_COLUMNS = dict(
    reader="messages", date=_s("DATE"), title=_s("SUBJECT", "CONVERSATION TITLE"), text=_s("CONTENT"),
    # The sender by profile URL, not by name: a name can change between exports.
    key=_s("CONVERSATION ID", "DATE", "SENDER PROFILE URL", "@text"), html=_s("CONTENT"),
    # Columns come and go between eras, not monotonically (docs/export-format.md §4.4).
    headers=_h("FROM,TO,DATE,SUBJECT,CONTENT,DIRECTION,FOLDER",
               "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER",
               _MESSAGES_10, _MESSAGES_10 + ",IS MESSAGE DRAFT,IS CONVERSATION DRAFT", _MESSAGES_10 + ",ATTACHMENTS",
               _MESSAGES_10 + ",ATTACHMENTS,IS MESSAGE DRAFT",
               _MESSAGES_10 + ",ATTACHMENTS,IS MESSAGE DRAFT,IS CONVERSATION DRAFT"),
)
_JOB_SEEKER_PREFERENCES = (
    "Locations,Industries,Company Employee Count,Preferred Job Types,Job Titles,Open To Recruiters,Dream Companies,"
    "Profile Shared With Job Poster,Job Title For Searching Fast Growing Companies,Introduction Statement,"
    "Phone Number,Job Seeker Activity Level,Preferred Start Time Range,Commute Preference Starting Address,"
    "Commute Preference Starting Time,Mode Of Transportation,Maximum Commute Duration,Open Candidate Visibility,"
    "Job Seeking Urgency Level")
_AD_TARGETING = (
    "Member Age,Buyer Groups,Company Names,Company Names,Company Follower of,Company Names,Company Category,"
    "Company Size,Degrees,degreeClass,{}Member Schools,Company Growth Rate,Fields of Study,Company Connections,"
    "Function By Size,Job Functions,Member Gender,Graduation Year,Member Groups,Company Industries,"
    "Member Interests,Interface Locales,interfaceLocale,Member Traits,{}Profile Locations,Company Revenue,"
    "Job Seniorities,Member Skills,{}Job Titles,Job Titles,Job Titles,Years of Experience")
_RECEIPTS = _h("First Name,Last Name,Billing Country,Postal Code,Transaction Made At,Payment Method Type,"
               "Invoice Number,Description,Tax Amount,Sub Total,Total Amount,Currency Code")

FILE_SPECS: tuple[FileSpec, ...] = (
    # 4.1 Profile
    FileSpec("profile", "profile-field", reader="fields",
             headers=_h(
                 "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
                 "Geo Location,Twitter Handles,Websites,Instant Messengers",
                 "First Name,Last Name,Maiden Name,Address,Birth Date,Contact Instructions,Country,Headline,"
                 "Summary,Industry,Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers")),
    FileSpec("profile_summary", "profile-field", reader="fields",
             headers=_h("Profile Summary")),
    FileSpec("positions", "position", date=_s("Started On"), title=_s("Title", "Company Name"),
             text=_s("Title", "Company Name", "Location", "Description"),
             key=_s("Company Name", "Title", "Started On"),
             headers=_h("Company Name,Title,Description,Location,Started On,Finished On")),
    FileSpec("education", "education", date=_s("Start Date"), title=_s("School Name"),
             text=_s("School Name", "Degree Name", "Notes", "Activities"),
             key=_s("School Name", "Degree Name", "Start Date"),
             headers=_h("School Name,Start Date,End Date,Notes,Degree Name,Activities")),
    FileSpec("skills", "skill", title=_s("Name"), text=_s("Name"), key=_s("Name"),
             headers=_h("Name")),
    FileSpec("languages", "language", title=_s("Name"), text=_s("Name", "Proficiency"), key=_s("Name"),
             headers=_h("Name,Proficiency")),
    FileSpec("certifications", "certification", date=_s("Started On"), title=_s("Name"),
             text=_s("Name", "Authority", "License Number"), url=_s("Url"), key=_s("Name", "Authority"),
             headers=_h("Name,Url,Authority,Started On,Finished On,License Number")),
    FileSpec("honors", "honor", date=_s("Issued On"), title=_s("Title"), text=_s("Title", "Description"),
             key=_s("Title", "Issued On"),
             headers=_h("Title,Description,Issued On")),
    FileSpec("projects", "project", date=_s("Started On"), title=_s("Title"), text=_s("Title", "Description"),
             url=_s("Url"), key=_s("Title", "Started On"),
             headers=_h("Title,Description,Url,Started On,Finished On")),
    FileSpec("publications", "publication", date=_s("Published On"), title=_s("Name"),
             text=_s("Name", "Publisher", "Description"), url=_s("Url"), key=_s("Name", "Publisher"),
             headers=_h("Name,Published On,Description,Publisher,Url")),
    FileSpec("patents", "patent", title=_s("Title"), text=_s("Title", "Description"), url=_s("Url"),
             key=_s("Title", "Patent Number")),
    FileSpec("volunteering", "volunteering", date=_s("Started On"), title=_s("Role", "Company Name"),
             text=_s("Role", "Company Name", "Cause", "Description"), key=_s("Company Name", "Role", "Started On"),
             headers=_h("Company Name,Role,Cause,Started On,Finished On,Description")),
    FileSpec("courses", "course", title=_s("Name"), text=_s("Name", "Number"), key=_s("Name", "Number"),
             headers=_h("Name,Number")),
    FileSpec("organizations", "organization", date=_s("Started On"), title=_s("Name"),
             text=_s("Name", "Position", "Description"), key=_s("Name", "Started On"),
             headers=_h("Name,Description,Position,Started On,Finished On")),
    FileSpec("causes_you_care_about", "profile-field", title=_s("Supported Cause"), text=_s("Supported Cause"),
             key=_s("Supported Cause"), field="@column:Supported Cause",
             headers=_h("Supported Cause")),
    FileSpec("test_scores", "test-score", date=_s("Test Date"), title=_s("Test Name"),
             text=_s("Test Name", "Score"), key=_s("Test Name", "Test Date"),
             headers=_h("Test Name,Score,Test Date")),
    FileSpec("duolingo", "test-score", title=_s("Language"), text=_s("Language", "Score", "Proficiency Level"),
             key=_s("Language"),
             headers=_h("Language,Score,Proficiency Level")),
    FileSpec("recommendations_received", "recommendation-received", date=_s("Creation Date"),
             title=_s("First Name", "Last Name"), text=_s("Text"), key=_s("First Name", "Last Name", "Creation Date"),
             headers=_h("First Name,Last Name,Company,Job Title,Text,Creation Date,Status")),
    FileSpec("recommendations_given", "recommendation-given", date=_s("Creation Date"),
             title=_s("First Name", "Last Name"), text=_s("Text"), key=_s("First Name", "Last Name", "Creation Date"),
             headers=_h("First Name,Last Name,Company,Job Title,Text,Creation Date,Status")),
    FileSpec("endorsement_received_info", "endorsement-received", date=_s("Endorsement Date"),
             title=_s("Skill Name"), text=_s("Skill Name", "Endorser First Name", "Endorser Last Name"),
             url=_s("Endorser Public Url"), key=_s("Skill Name", "Endorser Public Url", "Endorser First Name",
                                                    "Endorser Last Name"),
             headers=_h(
                 "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,Endorser Public Url,"
                 "Endorsement Status",
                 "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,Endorsement Status")),
    FileSpec("endorsement_given_info", "endorsement-given", date=_s("Endorsement Date"),
             title=_s("Skill Name"), text=_s("Skill Name", "Endorsee First Name", "Endorsee Last Name"),
             url=_s("Endorsee Public Url"), key=_s("Skill Name", "Endorsee Public Url", "Endorsee First Name",
                                                    "Endorsee Last Name"),
             headers=_h(
                 "Endorsement Date,Skill Name,Endorsee First Name,Endorsee Last Name,Endorsee Public Url,"
                 "Endorsement Status",
                 "Endorsement Date,Skill Name,Endorsee First Name,Endorsee Last Name,Endorsement Status")),
    FileSpec("rich_media", "media", date=_s("Date/Time"), title=_s("Date/Time"), text=_s("Media Description"),
             url=_s("Media Link", "Link"), key=_s("Media Link", "Date/Time", "Type"),
             headers=_h("Date/Time,Media Description,Media Link", "Type,Link")),
    FileSpec("private_identity_asset", "resume", title=_s("Private Identity Asset Name"),
             text=_s("Private Identity Asset Raw Text"), key=_s("Private Identity Asset Name"),
             headers=_h("Private Identity Asset Name,Private Identity Asset Raw Text")),
    FileSpec("verifications", "verification", date=_s("Verified date"), title=_s("Verification type"),
             text=_s("Verification type", "Organization name", "Document type"),
             key=_s("Verification type", "Verified date"),
             headers=_h(
                 "First name,Middle name,Last name,Verification type,Organization name,Email address,Country,"
                 "State,City,Year of birth,Issuing authority,Document type,Verification service provider,"
                 "Verified date,Expiry date")),
    FileSpec("member_hashtags", "profile-field", title=_s("Member Posts About Hashtags"),
             text=_s("Member Posts About Hashtags"), key=_s("Member Posts About Hashtags"),
             field="@column:Member Posts About Hashtags",
             headers=_h("Member Posts About Hashtags")),
    # 4.2 Content
    FileSpec("shares", "post", date=_s("Date"), text=_s("ShareCommentary"), url=_s("ShareLink"),
             key=_s("@urn:ShareLink"), visibility="Visibility",
             media=_s("SharedUrl", "MediaUrl"),  # any spelling (csvdialect.column_key)
             quirks=Quirks(quote_newline_quote=("ShareCommentary",)),
             headers=_h(
                 "Date,ShareLink,ShareCommentary,SharedUrl,MediaUrl,Visibility",
                 "Date,ShareLink,ShareCommentary,SharedURL,MediaURL,Visibility",
                 "Date,Share Link,Share Commentary,Shared Url,Media Url,Visibility")),
    FileSpec("comments", "comment", date=_s("Date"), text=_s("Message"), url=_s("Link"),
             key=_s("@urn:Link", "Date", "@text"), quirks=COMMENT_QUIRKS,
             headers=_h("Date,Link,Message")),
    FileSpec("instantreposts", "repost", date=_s("Date"), url=_s("Link"), key=_s("@urn:Link"),
             headers=_h("Date,Link")),
    FileSpec("votes", "vote", date=_s("Date"), text=_s("OptionText"), url=_s("Link"), key=_s("@urn:Link"),
             headers=_h("Date,Link,OptionText")),
    FileSpec("articles", "article", reader="article"),
    FileSpec("notes", "note", date=_s("Created On"), title=_s("Connection First Name", "Connection Last Name"),
             text=_s("Note"), url=_s("Connection Profile URL"), key=_s("Connection Profile URL", "Created On"),
             headers=_h(
                 "Connection First Name,Connection Last Name,Connection Profile URL,Note,Created On,Edited On")),
    # 4.3 Reactions, follows, saved
    FileSpec("reactions", "reaction", date=_s("Date"), title=_s("Type"), url=_s("Link"), key=_s("Link"),
             headers=_h("Date,Type,Link")),
    FileSpec("saved_items", "saved-item", date=_s("CreatedTime", "createdTime"), url=_s("savedItem"),
             key=_s("savedItem"),
             headers=_h("savedItem,createdTime", "savedItem,CreatedTime")),
    FileSpec("saved_articles", "saved-item", date=_s("Saved At"), title=_s("Name"), url=_s("Link"),
             key=_s("Link"),
             headers=_h("Saved At,Link,Name")),
    FileSpec("company_follows", "follow", date=_s("Followed On"), title=_s("Organization"),
             text=_s("Organization"), key=_s("Organization"),
             headers=_h("Organization,Followed On")),
    FileSpec("member_follows", "follow", date=_s("Date"), title=_s("FullName"), text=_s("FullName", "Status"),
             key=_s("FullName"),
             headers=_h("Date,Status,FullName")),
    FileSpec("hashtag_follows", "follow", date=_s("CreatedTime"), title=_s("HashTag"), text=_s("HashTag"),
             key=_s("HashTag"),
             headers=_h("HashTag,CreatedTime,LastModifiedTime,State")),
    FileSpec("events", "event", date=_s("Event Time"), title=_s("Event Name"), text=_s("Event Name", "Status"),
             url=_s("External Url"), key=_s("External Url", "Event Name"),
             headers=_h("Event Name,Event Time,Status,External Url")),
    FileSpec("groups", "group", title=_s("Group Name"), text=_s("Group Name"), url=_s("Group URL"),
             key=_s("Group URL", "Group Name")),
    # 4.4 Messages
    FileSpec("messages", "message", **MESSAGE_COLUMNS),
    FileSpec("guide_messages", "ai-chat", **MESSAGE_COLUMNS),
    FileSpec("coach_messages", "ai-chat", **MESSAGE_COLUMNS),
    FileSpec("learning_coach_messages", "ai-chat", **MESSAGE_COLUMNS),
    FileSpec("learning_role_play_messages", "ai-chat", **MESSAGE_COLUMNS),
    FileSpec("learningcoachmessages", "ai-chat", **MESSAGE_COLUMNS),
    # 4.5 Network
    FileSpec("connections", "connection", date=_s("Connected On"), title=_s("First Name", "Last Name"),
             text=_s("Position", "Company"), url=_s("URL"),
             key=_s("URL", "First Name", "Last Name"),
             quirks=Quirks(header_marker=frozenset({"First Name", "Connected On"})),
             headers=_h(
                 "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
                 "First Name,Last Name,Email Address,Company,Position,Connected On")),
    FileSpec("invitations", "invitation", date=_s("Sent At"), title=_s("From", "To"), text=_s("Message"),
             key=_s("inviterProfileUrl", "inviteeProfileUrl", "From", "To", "Sent At"),
             headers=_h(
                 "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl",
                 "From,To,Sent At,Message,Direction")),
    FileSpec("contacts", "imported-contact", date=_s("CreatedAt"), title=_s("FullName", "FirstName", "LastName"),
             text=_s("FirstName", "LastName", "Companies", "Title", "Emails", "PhoneNumbers", "Addresses"),
             key=_s("Source", "Emails", "FullName", "FirstName", "LastName"),
             headers=_h(
                 "Source,FirstName,LastName,Companies,Title,Emails,PhoneNumbers,CreatedAt,Addresses,Sites,"
                 "InstantMessageHandles,FullName,Birthday,Location,BookmarkedAt,Profiles")),
    FileSpec("importedcontacts", "imported-contact"),
    FileSpec("calendar", "account-setting", date=_s("LastSyncedAt"), title=_s("Source"), text=_s("Source"),
             key=_s("Owner", "Source"),
             headers=_h("Owner,Source,LastSyncedAt")),
    # 4.6 Jobs
    FileSpec("job_applications", "job-application", reader="applications", date=_s("Application Date"),
             title=_s("Job Title", "Company Name"), text=_s("Job Title", "Company Name", "Resume Name"),
             url=_s("Job Url"), key=_s("Job Url", "Application Date"),
             headers=_h(
                 "Application Date,Contact Email,Contact Phone Number,Company Name,Job Title,Job Url,"
                 "Resume Name,Question And Answers")),
    FileSpec("saved_jobs", "saved-job", date=_s("Saved Date"), title=_s("Job Title", "Company Name"),
             text=_s("Job Title", "Company Name"), url=_s("Job Url"), key=_s("Job Url"),
             headers=_h("Saved Date,Job Url,Job Title,Company Name")),
    FileSpec("job_seeker_preferences", "job-preference", reader="fields",
             headers=_h(_JOB_SEEKER_PREFERENCES, _JOB_SEEKER_PREFERENCES + ",Semantic Preferences")),
    FileSpec("job_applicant_saved_answers", "saved-answer", title=_s("Question"), text=_s("Answer"),
             key=_s("Question"), field="Question",
             headers=_h("Question,Answer")),
    FileSpec("job_applicant_saved_screening_question_responses", "saved-answer", title=_s("Question"),
             text=_s("Answer"), key=_s("Question"), field="Question",
             headers=_h("Question,Answer")),
    FileSpec("savedjobalerts", "job-alert", date=_s("Saved Search Date"),
             title=_s("QUERY_CONTEXT", "Jobs Search Url"), text=_s("ALERT_PARAMETERS", "QUERY_CONTEXT"),
             url=_s("Jobs Search Url"), key=_s("SAVED_SEARCH_ID", "Jobs Search Url"),
             headers=_h("ALERT_PARAMETERS,QUERY_CONTEXT,SAVED_SEARCH_ID", "Saved Search Date,Jobs Search Url")),
    FileSpec("online_job_postings", "job-posting", date=_s("Create Date"), title=_s("Title", "Company Name"),
             text=_s("Title", "Job Description", "Base Salary", "Additional Compensation"),
             html=_s("Job Description"), key=_s("Company Name", "Title", "Create Date"),
             headers=_h(
                 "Company Name,Title,Employment Status,Company Description,Job Description,"
                 "Location Description,Job Functions,Company Industries,Seniority Level,Required Skills,"
                 "Education Levels,Onsite Apply,Contact Email,Company Apply Url,Base Salary,"
                 "Additional Compensation,Job State,Create Date,List Date,Close Date,Expiration Date")),
    FileSpec("providers", "service-listing", date=_s("Creation Time"), title=_s("Top Level Service Category"),
             text=_s("Top Level Service Category", "Secondary Service Category"), key=_s("Creation Time"),
             headers=_h(
                 "Creation Time,Marketplace Type,ProFinder Service Category,Top Level Service Category,"
                 "Secondary Service Category,Use Profile Location,Available to Work Remotely,"
                 "Pricing Info Provided,Status,Media")),
    # 4.7 Learning
    FileSpec("learning", "learning", date=_s("Content Last Watched Date (if viewed)",
                                             "Content Completed At (if completed)"),
             title=_s("Content Title"), text=_s("Notes taken on videos (if taken)"), key=_s("Content Title"),
             quirks=Quirks(trailing_empty_header_ok=True),
             headers=_h(
                 "Content Title,Content Description,Content Type,Content Last Watched Date (if viewed),"
                 "Content Completed At (if completed),Content Saved,Notes taken on videos (if taken),")),
    # 4.8 Search
    FileSpec("searchqueries", "search-query", date=_s("Time"), text=_s("Search Query"),
             key=_s("Time", "Search Query"), quirks=Quirks(free_text_last=True),
             headers=_h("Time,Search Query")),
    # 4.9 Ads and inferences
    FileSpec("ad_targeting", "ad-targeting", reader="fields", quirks=Quirks(duplicate_headers_ok=True),
             headers=_h(_AD_TARGETING.format("", "", ""),  # 32 columns, then 35 (Mar 2026)
                        _AD_TARGETING.format("Recent Device OS,", "High Value Audience Segments,",
                                             "Standard Audience Segments,"))),
    FileSpec("ads_clicked", "ad-click", date=_s("Ad clicked Date"), title=_s("Ad Title/Id"),
             text=_s("Ad Title/Id"), key=_s("Ad clicked Date", "Ad Title/Id"),
             headers=_h("Ad clicked Date,Ad Title/Id")),
    FileSpec("lan_ads_engagement", "ad-engagement", date=_s("Date"), title=_s("Ad Title/Id"),
             text=_s("Action", "Ad Title/Id", "Page/App"), key=_s("Date", "Action", "Ad Title/Id", "Page/App"),
             headers=_h("Action,Date,Ad Title/Id,Page/App")),
    FileSpec("inferences_about_you", "inference", title=_s("Category", "Type of inference"),
             text=_s("Description", "Inference"), key=_s("Category", "Type of inference"),
             headers=_h("Category,Type of inference,Description,Inference")),
    # 4.10 Account and security
    FileSpec("email_addresses", "email-address", date=_s("Updated On"), title=_s("Email Address"),
             text=_s("Email Address"), key=_s("Email Address"),
             headers=_h("Email Address,Confirmed,Primary,Updated On")),
    FileSpec("phonenumbers", "phone-number", title=_s("Number"), text=_s("Extension", "Number"), key=_s("Number"),
             headers=_h("Extension,Number,Type")),
    FileSpec("whatsapp_phone_numbers", "phone-number", title=_s("Number"), text=_s("Extension", "Number"),
             key=_s("Number"),
             headers=_h("Number,Extension,Is_WhatsApp_Number")),
    FileSpec("registration", "registration", date=_s("Registered At"), title=_s("Subscription Types"),
             text=_s("Registration Ip", "Subscription Types"), key=_s("Registered At"),
             headers=_h("Registered At,Registration Ip,Subscription Types")),
    FileSpec("logins", "login", date=_s("Login Date"), title=_s("Login Type"),
             text=_s("IP Address", "User Agent"), key=_s("Login Date", "IP Address"),
             headers=_h("Login Date,IP Address,User Agent,Login Type")),
    FileSpec("security_challenges", "security-event", date=_s("Challenge Date"), title=_s("Challenge Type"),
             text=_s("IP Address", "Country", "User Agent"), key=_s("Challenge Date", "IP Address", "Challenge Type"),
             headers=_h("Challenge Date,IP Address,User Agent,Country,Challenge Type")),
    # 4.11 Payments; Receipts_v2 repeats Receipts' invoices with other date formats: twins, merged by key.
    FileSpec("receipts", "receipt", date=_s("Transaction Made At"), title=_s("Description"),
             text=_s("Description", "Total Amount", "Currency Code"), key=_s("Invoice Number"),
             headers=_RECEIPTS),
    FileSpec("receipts_v2", "receipt", date=_s("Transaction Made At"), title=_s("Description"),
             text=_s("Description", "Total Amount", "Currency Code"), key=_s("Invoice Number"),
             headers=_RECEIPTS, twin="receipts"),
)

SPECS_BY_ID: dict[str, FileSpec] = {spec.id: spec for spec in FILE_SPECS}
UNKNOWN = FileSpec("unknown", "unknown", reader="generic")

# Activity files seen only in Complete deliveries (docs/export-format.md §1.2): their presence makes an
# archive without a telling name a Complete one.
COMPLETE_ONLY = frozenset({
    "shares", "comments", "reactions", "votes", "instantreposts", "saved_items", "member_follows",
    "hashtag_follows", "searchqueries", "logins", "security_challenges", "ads_clicked",
    "lan_ads_engagement", "inferences_about_you", "learningcoachmessages", "coach_messages",
})

# Re-zip debris never read (docs/export-format.md §1.3); the archive layer marks them too.
_SEPARATORS = re.compile(r"[\s_\-]+")
_MEMBER_ID = re.compile(r"_\d{5,}$")
_CHUNK = re.compile(r"_(\d{1,2})$")

# A member's first bytes are enough for its header, after a preamble (Connections' is about 450
# bytes; UTF-16 doubles it).
HEAD_BYTES = 8 * 1024
# A header sharing this share of its columns with one era of a spec (common / all columns) is
# that spec's: a column added or dropped since keeps a file recognised, a one-column file needs
# the very column.
_NEAR = 0.75
# One-cell records (a preamble: `Notes:`, a sentence) looked past for the header.
_PREAMBLE_RECORDS = 10


@dataclass(frozen=True)
class Match:
    spec: FileSpec
    chunk: int  # 0 for the unsuffixed file, n for `_n`
    recognised: bool
    by: str = "name"  # name | header (its name is unknown or another file's)
    note: Message | None = None  # why the header won over the name, reported as an info problem


def _keys(names: Iterable[str]) -> frozenset[str]:
    return frozenset(key for name in names if (key := column_key(name)))


_ERAS: tuple[tuple[frozenset[str], FileSpec], ...] = tuple(
    (_keys(header.split(",")), spec) for spec in FILE_SPECS for header in spec.headers)
_EXACT: dict[frozenset[str], tuple[FileSpec, ...]] = {
    era: tuple(dict.fromkeys(spec for other, spec in _ERAS if other == era)) for era, _ in _ERAS}


@functools.cache
def known_columns(spec: FileSpec) -> frozenset[str]:
    """Keys of every column the catalogue knows in `spec`'s files: any era's header and every
    column the spec reads. A cell elsewhere is one the catalogue cannot place."""
    named = (*spec.date, *spec.title, *spec.text, *spec.url, *spec.key, *spec.html, spec.field or "",
             spec.visibility or "")
    return _keys([*(c for header in spec.headers for c in header.split(",")),
                  *(n for n in named if not n.startswith("@"))])


def _nearness(keys: frozenset[str], era: frozenset[str]) -> float:
    return len(keys & era) / len(keys | era)


def nearest(keys: frozenset[str]) -> tuple[tuple[FileSpec, ...], float]:
    """The specs whose header, in some era, is nearest to a file's header keys, and how near
    (1.0: the same columns). Several specs only when they share their headers (messages and the
    AI-chat files, Receipts and Receipts_v2...); a tie between different headers gives none."""
    exact = _EXACT.get(keys)  # the usual case, without comparing every era
    if exact is not None:
        found = list(exact)
        best = 1.0
    else:
        best, found = _scored(keys)
    if len({spec.headers for spec in found}) > 1:
        return (), best
    return tuple(found), best


def _scored(keys: frozenset[str]) -> tuple[float, list[FileSpec]]:
    best, found = 0.0, []
    for era, spec in _ERAS:
        score = _nearness(keys, era) if keys else 0.0
        if score > best:
            best, found = score, [spec]
        elif score == best and score and spec not in found:
            found.append(spec)
    return best, found


def header_keys(head: bytes) -> frozenset[str] | None:
    """The header's column keys, from a member's first bytes (HEAD_BYTES, or all of a shorter
    member), decoded as csvdialect.decode does (BOM, UTF-16); past a preamble of one-cell lines
    (Connections' `Notes:`). None when no header can be read."""
    cut = len(head) >= HEAD_BYTES  # keep whole characters, then whole lines
    if cut and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head[: len(head) // 2 * 2]
        last = head[-2:] if head.startswith(codecs.BOM_UTF16_BE) else head[-2:][::-1]
        if 0xD8 <= last[0] <= 0xDB:  # half a surrogate pair
            head = head[:-2]
    elif cut:
        head = head[: head.rfind(b"\n") + 1]
    try:
        text, _notes, delimiter = decode(head)
    except TableRefused:
        return None
    if cut:
        text = text[: text.rfind("\n") + 1]
    first: frozenset[str] | None = None
    try:
        for record in itertools.islice(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter),
                                       _PREAMBLE_RECORDS):
            keys = _keys(record)
            if not keys:
                continue
            if first is None:
                first = keys
                if len(record) > 1 or nearest(keys)[1] >= _NEAR:
                    return keys
            elif len(record) > 1:
                return keys
    except csv.Error:
        pass
    return first


def normalise_stem(path: str) -> str:
    """`Jobs/Job Applications_2.csv` -> `job_applications_2`; `Shares_123456789.csv` -> `shares`."""
    name = path.rsplit("/", 1)[-1]
    stem = name[:-4] if name.lower().endswith(".csv") else name
    stem = _SEPARATORS.sub("_", stem.strip().lower()).strip("_")
    return _MEMBER_ID.sub("", stem)


def _by_name(path: str) -> Match:
    stem = normalise_stem(path)
    if stem in SPECS_BY_ID:
        return Match(SPECS_BY_ID[stem], 0, True)
    chunk = _CHUNK.search(stem)
    if chunk:
        spec = SPECS_BY_ID.get(stem[: chunk.start()])
        if spec is not None:
            return Match(spec, int(chunk.group(1)), True)
    return Match(UNKNOWN, 0, False)


def match(path: str, head: Callable[[], bytes] | None = None) -> Match | None:
    """The spec for an archive member, or None for members that are not tables (images...).
    By its name, and by its header when `head` gives the member's first bytes: a file whose name
    is unknown, or another file's, is read as the spec its header belongs to; a file named other
    than .csv only when its header is exactly a known one. Unknown CSVs get the generic spec."""
    lower = path.lower()
    if lower.endswith((".html", ".htm")):
        if "articles/" in lower or "/" not in lower:
            return Match(SPECS_BY_ID["articles"], 0, True)
        return Match(UNKNOWN, 0, False)
    table = lower.endswith(".csv")
    named = _by_name(path) if table else None
    keys = header_keys(head()) if head is not None else None
    specs, score = nearest(keys) if keys else ((), 0.0)
    if not specs or score < (_NEAR if table else 1.0) or (named is not None and named.spec in specs):
        return named
    if named is not None and named.recognised and \
            max(_nearness(keys, era) for era in _keys_of(named.spec)) >= _NEAR:  # type: ignore[arg-type]
        return named  # its header fits its name too
    # Files sharing a header (messages and the AI-chat files...): the one whose id the name
    # still holds (`coach_messages (1).csv`), else the first.
    stem = normalise_stem(path)
    hinted = [spec for spec in specs if spec.id in stem]
    chosen = max(hinted, key=lambda spec: len(spec.id)) if hinted else specs[0]
    values = {"chosen": chosen.id}
    if named is not None and named.recognised:
        case, values["named"] = "renamed", named.spec.id
    else:
        case = "unknown-name"
    if len(specs) > 1 and not hinted:
        case, values["others"] = case + "-shared", ", ".join(spec.id for spec in specs if spec is not chosen)
    return Match(chosen, 0, True, by="header", note=Message(f"problem.recognised-by-header.{case}", values))


def _keys_of(spec: FileSpec) -> list[frozenset[str]]:
    return [era for era, owner in _ERAS if owner is spec] or [frozenset()]
