"""Which export file is which: one ordered table (format reference §4), matched by normalised
name. A new LinkedIn file is one row here plus a sample. Files not listed are still read, as
generic CSVs of kind `unknown` (nothing in an export is dropped).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from inventory.csvdialect import COMMENT_QUIRKS, Quirks


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


def _s(*names: str) -> tuple[str, ...]:
    return names


MESSAGE_COLUMNS = dict(
    reader="messages", date=_s("DATE"), title=_s("SUBJECT", "CONVERSATION TITLE"), text=_s("CONTENT"),
    # The sender by profile URL, not by name: a name can change between exports.
    key=_s("CONVERSATION ID", "DATE", "SENDER PROFILE URL", "@text"), html=_s("CONTENT"),
)

FILE_SPECS: tuple[FileSpec, ...] = (
    # 4.1 Profile
    FileSpec("profile", "profile-field", reader="fields"),
    FileSpec("profile_summary", "profile-field", reader="fields"),
    FileSpec("positions", "position", date=_s("Started On"), title=_s("Title", "Company Name"),
             text=_s("Title", "Company Name", "Location", "Description"),
             key=_s("Company Name", "Title", "Started On")),
    FileSpec("education", "education", date=_s("Start Date"), title=_s("School Name"),
             text=_s("School Name", "Degree Name", "Notes", "Activities"),
             key=_s("School Name", "Degree Name", "Start Date")),
    FileSpec("skills", "skill", title=_s("Name"), text=_s("Name"), key=_s("Name")),
    FileSpec("languages", "language", title=_s("Name"), text=_s("Name", "Proficiency"), key=_s("Name")),
    FileSpec("certifications", "certification", date=_s("Started On"), title=_s("Name"),
             text=_s("Name", "Authority", "License Number"), url=_s("Url"), key=_s("Name", "Authority")),
    FileSpec("honors", "honor", date=_s("Issued On"), title=_s("Title"), text=_s("Title", "Description"),
             key=_s("Title", "Issued On")),
    FileSpec("projects", "project", date=_s("Started On"), title=_s("Title"), text=_s("Title", "Description"),
             url=_s("Url"), key=_s("Title", "Started On")),
    FileSpec("publications", "publication", date=_s("Published On"), title=_s("Name"),
             text=_s("Name", "Publisher", "Description"), url=_s("Url"), key=_s("Name", "Publisher")),
    FileSpec("patents", "patent", title=_s("Title"), text=_s("Title", "Description"), url=_s("Url"),
             key=_s("Title", "Patent Number")),
    FileSpec("volunteering", "volunteering", date=_s("Started On"), title=_s("Role", "Company Name"),
             text=_s("Role", "Company Name", "Cause", "Description"), key=_s("Company Name", "Role", "Started On")),
    FileSpec("courses", "course", title=_s("Name"), text=_s("Name", "Number"), key=_s("Name", "Number")),
    FileSpec("organizations", "organization", date=_s("Started On"), title=_s("Name"),
             text=_s("Name", "Position", "Description"), key=_s("Name", "Started On")),
    FileSpec("causes_you_care_about", "profile-field", title=_s("Supported Cause"), text=_s("Supported Cause"),
             key=_s("Supported Cause"), field="@column:Supported Cause"),
    FileSpec("test_scores", "test-score", date=_s("Test Date"), title=_s("Test Name"),
             text=_s("Test Name", "Score"), key=_s("Test Name", "Test Date")),
    FileSpec("duolingo", "test-score", title=_s("Language"), text=_s("Language", "Score", "Proficiency Level"),
             key=_s("Language")),
    FileSpec("recommendations_received", "recommendation-received", date=_s("Creation Date"),
             title=_s("First Name", "Last Name"), text=_s("Text"), key=_s("First Name", "Last Name", "Creation Date")),
    FileSpec("recommendations_given", "recommendation-given", date=_s("Creation Date"),
             title=_s("First Name", "Last Name"), text=_s("Text"), key=_s("First Name", "Last Name", "Creation Date")),
    FileSpec("endorsement_received_info", "endorsement-received", date=_s("Endorsement Date"),
             title=_s("Skill Name"), text=_s("Skill Name", "Endorser First Name", "Endorser Last Name"),
             url=_s("Endorser Public Url"), key=_s("Skill Name", "Endorser Public Url", "Endorser First Name",
                                                    "Endorser Last Name")),
    FileSpec("endorsement_given_info", "endorsement-given", date=_s("Endorsement Date"),
             title=_s("Skill Name"), text=_s("Skill Name", "Endorsee First Name", "Endorsee Last Name"),
             url=_s("Endorsee Public Url"), key=_s("Skill Name", "Endorsee Public Url", "Endorsee First Name",
                                                    "Endorsee Last Name")),
    FileSpec("rich_media", "media", date=_s("Date/Time"), title=_s("Date/Time"), text=_s("Media Description"),
             url=_s("Media Link", "Link"), key=_s("Media Link", "Date/Time", "Type")),
    FileSpec("private_identity_asset", "resume", title=_s("Private Identity Asset Name"),
             text=_s("Private Identity Asset Raw Text"), key=_s("Private Identity Asset Name")),
    FileSpec("verifications", "verification", date=_s("Verified date"), title=_s("Verification type"),
             text=_s("Verification type", "Organization name", "Document type"),
             key=_s("Verification type", "Verified date")),
    FileSpec("member_hashtags", "profile-field", title=_s("Member Posts About Hashtags"),
             text=_s("Member Posts About Hashtags"), key=_s("Member Posts About Hashtags"),
             field="@column:Member Posts About Hashtags"),
    # 4.2 Content
    FileSpec("shares", "post", date=_s("Date"), text=_s("ShareCommentary"), url=_s("ShareLink"),
             key=_s("@urn:ShareLink"), visibility="Visibility",
             quirks=Quirks(quote_newline_quote=("ShareCommentary",))),
    FileSpec("comments", "comment", date=_s("Date"), text=_s("Message"), url=_s("Link"),
             key=_s("@urn:Link", "Date", "@text"), quirks=COMMENT_QUIRKS),
    FileSpec("instantreposts", "repost", date=_s("Date"), url=_s("Link"), key=_s("@urn:Link")),
    FileSpec("votes", "vote", date=_s("Date"), text=_s("OptionText"), url=_s("Link"), key=_s("@urn:Link")),
    FileSpec("articles", "article", reader="article"),
    FileSpec("notes", "note", date=_s("Created On"), title=_s("Connection First Name", "Connection Last Name"),
             text=_s("Note"), url=_s("Connection Profile URL"), key=_s("Connection Profile URL", "Created On")),
    # 4.3 Reactions, follows, saved
    FileSpec("reactions", "reaction", date=_s("Date"), title=_s("Type"), url=_s("Link"), key=_s("Link")),
    FileSpec("saved_items", "saved-item", date=_s("CreatedTime", "createdTime"), url=_s("savedItem"),
             key=_s("savedItem")),
    FileSpec("saved_articles", "saved-item", date=_s("Saved At"), title=_s("Name"), url=_s("Link"),
             key=_s("Link")),
    FileSpec("company_follows", "follow", date=_s("Followed On"), title=_s("Organization"),
             text=_s("Organization"), key=_s("Organization")),
    FileSpec("member_follows", "follow", date=_s("Date"), title=_s("FullName"), text=_s("FullName", "Status"),
             key=_s("FullName")),
    FileSpec("hashtag_follows", "follow", date=_s("CreatedTime"), title=_s("HashTag"), text=_s("HashTag"),
             key=_s("HashTag")),
    FileSpec("events", "event", date=_s("Event Time"), title=_s("Event Name"), text=_s("Event Name", "Status"),
             url=_s("External Url"), key=_s("External Url", "Event Name")),
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
             quirks=Quirks(header_marker=frozenset({"First Name", "Connected On"}))),
    FileSpec("invitations", "invitation", date=_s("Sent At"), title=_s("From", "To"), text=_s("Message"),
             key=_s("inviterProfileUrl", "inviteeProfileUrl", "From", "To", "Sent At")),
    FileSpec("contacts", "imported-contact", date=_s("CreatedAt"), title=_s("FullName", "FirstName", "LastName"),
             text=_s("FirstName", "LastName", "Companies", "Title", "Emails", "PhoneNumbers", "Addresses"),
             key=_s("Source", "Emails", "FullName", "FirstName", "LastName")),
    FileSpec("importedcontacts", "imported-contact"),
    FileSpec("calendar", "account-setting", date=_s("LastSyncedAt"), title=_s("Source"), text=_s("Source"),
             key=_s("Owner", "Source")),
    # 4.6 Jobs
    FileSpec("job_applications", "job-application", reader="applications", date=_s("Application Date"),
             title=_s("Job Title", "Company Name"), text=_s("Job Title", "Company Name", "Resume Name"),
             url=_s("Job Url"), key=_s("Job Url", "Application Date")),
    FileSpec("saved_jobs", "saved-job", date=_s("Saved Date"), title=_s("Job Title", "Company Name"),
             text=_s("Job Title", "Company Name"), url=_s("Job Url"), key=_s("Job Url")),
    FileSpec("job_seeker_preferences", "job-preference", reader="fields"),
    FileSpec("job_applicant_saved_answers", "saved-answer", title=_s("Question"), text=_s("Answer"),
             key=_s("Question"), field="Question"),
    FileSpec("job_applicant_saved_screening_question_responses", "saved-answer", title=_s("Question"),
             text=_s("Answer"), key=_s("Question"), field="Question"),
    FileSpec("savedjobalerts", "job-alert", date=_s("Saved Search Date"),
             title=_s("QUERY_CONTEXT", "Jobs Search Url"), text=_s("ALERT_PARAMETERS", "QUERY_CONTEXT"),
             url=_s("Jobs Search Url"), key=_s("SAVED_SEARCH_ID", "Jobs Search Url")),
    FileSpec("online_job_postings", "job-posting", date=_s("Create Date"), title=_s("Title", "Company Name"),
             text=_s("Title", "Job Description", "Base Salary", "Additional Compensation"),
             html=_s("Job Description"), key=_s("Company Name", "Title", "Create Date")),
    FileSpec("providers", "service-listing", date=_s("Creation Time"), title=_s("Top Level Service Category"),
             text=_s("Top Level Service Category", "Secondary Service Category"), key=_s("Creation Time")),
    # 4.7 Learning
    FileSpec("learning", "learning", date=_s("Content Last Watched Date (if viewed)",
                                             "Content Completed At (if completed)"),
             title=_s("Content Title"), text=_s("Notes taken on videos (if taken)"), key=_s("Content Title"),
             quirks=Quirks(trailing_empty_header_ok=True)),
    # 4.8 Search
    FileSpec("searchqueries", "search-query", date=_s("Time"), text=_s("Search Query"),
             key=_s("Time", "Search Query"), quirks=Quirks(free_text_last=True)),
    # 4.9 Ads and inferences
    FileSpec("ad_targeting", "ad-targeting", reader="fields", quirks=Quirks(duplicate_headers_ok=True)),
    FileSpec("ads_clicked", "ad-click", date=_s("Ad clicked Date"), title=_s("Ad Title/Id"),
             text=_s("Ad Title/Id"), key=_s("Ad clicked Date", "Ad Title/Id")),
    FileSpec("lan_ads_engagement", "ad-engagement", date=_s("Date"), title=_s("Ad Title/Id"),
             text=_s("Action", "Ad Title/Id", "Page/App"), key=_s("Date", "Action", "Ad Title/Id", "Page/App")),
    FileSpec("inferences_about_you", "inference", title=_s("Category", "Type of inference"),
             text=_s("Description", "Inference"), key=_s("Category", "Type of inference")),
    # 4.10 Account and security
    FileSpec("email_addresses", "email-address", date=_s("Updated On"), title=_s("Email Address"),
             text=_s("Email Address"), key=_s("Email Address")),
    FileSpec("phonenumbers", "phone-number", title=_s("Number"), text=_s("Extension", "Number"), key=_s("Number")),
    FileSpec("whatsapp_phone_numbers", "phone-number", title=_s("Number"), text=_s("Extension", "Number"),
             key=_s("Number")),
    FileSpec("registration", "registration", date=_s("Registered At"), title=_s("Subscription Types"),
             text=_s("Registration Ip", "Subscription Types"), key=_s("Registered At")),
    FileSpec("logins", "login", date=_s("Login Date"), title=_s("Login Type"),
             text=_s("IP Address", "User Agent"), key=_s("Login Date", "IP Address")),
    FileSpec("security_challenges", "security-event", date=_s("Challenge Date"), title=_s("Challenge Type"),
             text=_s("IP Address", "Country", "User Agent"), key=_s("Challenge Date", "IP Address", "Challenge Type")),
    # 4.11 Payments; Receipts and Receipts_v2 share invoice numbers, so ids merge them.
    FileSpec("receipts", "receipt", date=_s("Transaction Made At"), title=_s("Description"),
             text=_s("Description", "Total Amount", "Currency Code"), key=_s("Invoice Number")),
    FileSpec("receipts_v2", "receipt", date=_s("Transaction Made At"), title=_s("Description"),
             text=_s("Description", "Total Amount", "Currency Code"), key=_s("Invoice Number")),
)

SPECS_BY_ID: dict[str, FileSpec] = {spec.id: spec for spec in FILE_SPECS}
UNKNOWN = FileSpec("unknown", "unknown", reader="generic")

# Activity files seen only in Complete deliveries (reference §1.2): their presence makes an
# archive without a telling name a Complete one.
COMPLETE_ONLY = frozenset({
    "shares", "comments", "reactions", "votes", "instantreposts", "saved_items", "member_follows",
    "hashtag_follows", "searchqueries", "logins", "security_challenges", "ads_clicked",
    "lan_ads_engagement", "inferences_about_you", "learningcoachmessages", "coach_messages",
})

# Re-zip debris never read (reference §1.3); the archive layer marks them too.
_SEPARATORS = re.compile(r"[\s_\-]+")
_MEMBER_ID = re.compile(r"_\d{5,}$")
_CHUNK = re.compile(r"_(\d{1,2})$")


@dataclass(frozen=True)
class Match:
    spec: FileSpec
    chunk: int  # 0 for the unsuffixed file, n for `_n`
    recognised: bool


def normalise_stem(path: str) -> str:
    """`Jobs/Job Applications_2.csv` -> `job_applications_2`; `Shares_123456789.csv` -> `shares`."""
    name = path.rsplit("/", 1)[-1]
    stem = name[:-4] if name.lower().endswith(".csv") else name
    stem = _SEPARATORS.sub("_", stem.strip().lower()).strip("_")
    return _MEMBER_ID.sub("", stem)


def match(path: str) -> Match | None:
    """The spec for an archive member, or None for members that are not tables (images...).
    Unknown CSVs get the generic spec."""
    lower = path.lower()
    if lower.endswith((".html", ".htm")):
        if "articles/" in lower or "/" not in lower:
            return Match(SPECS_BY_ID["articles"], 0, True)
        return Match(UNKNOWN, 0, False)
    if not lower.endswith(".csv"):
        return None
    stem = normalise_stem(path)
    if stem in SPECS_BY_ID:
        return Match(SPECS_BY_ID[stem], 0, True)
    chunk = _CHUNK.search(stem)
    if chunk:
        base = stem[: chunk.start()]
        spec = SPECS_BY_ID.get(base)
        if spec is not None:
            return Match(spec, int(chunk.group(1)), True)
    return Match(UNKNOWN, 0, False)
