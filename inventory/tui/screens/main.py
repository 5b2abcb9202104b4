"""The four views: Overview, Items, Detail and Checklist. Each lists its commands once
(bindings and palette entries are generated from that list) and redraws from `app.session` in
`sync()`, called when the data or the decisions change."""

from __future__ import annotations

import webbrowser
from typing import TYPE_CHECKING, cast

import polars as pl
from rich.table import Table
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label, Markdown, OptionList, Select, Sparkline, Static
from textual.widgets.option_list import Option

from inventory import checklist, views
from inventory.i18n import format_day, kind_label, reason_label, region_label, typography
from inventory.detect.explain import suggested_text
from inventory.detect import explain_findings, explain_reasons, type_label
from inventory.policy import reason_words
from inventory.text import safe_linkedin_url, sanitise_text
from inventory.tui import commands
from inventory.tui.commands import LocalisedBindings, TextualInWords, in_language
from inventory.tui.screens.modals import PathModal
from inventory.tui.text import label, link, safe, with_findings
from inventory.tui.widgets.item_table import ItemTable

if TYPE_CHECKING:
    from inventory.tui.app import InventoryApp


class DataScreen(LocalisedBindings, TextualInWords, Screen):
    """A screen's BINDINGS are its COMMAND_LIST in its language: `ItemsScreen("fr")` is an
    instance of the French subclass (commands.in_language)."""

    def __new__(cls, lang: str, *args: object, **kwargs: object) -> "DataScreen":
        return super().__new__(in_language(cls, lang))

    def __init__(self, lang: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.lang = lang
        self.synced_version = -1

    @property
    def inventory(self) -> "InventoryApp":
        return cast("InventoryApp", self.app)

    def t(self, key: str, **values: object) -> str:
        return label(key, self.lang, **values)

    def on_screen_resume(self) -> None:
        self.sync()

    def sync(self, force: bool = False) -> None:
        """Redraw from the session when it changed since the last draw."""


def _counts_table(rows: list[tuple[Text, int]], total: int | None = None) -> Table:
    table = Table(box=None, show_header=False, expand=True, pad_edge=False)
    table.add_column(ratio=1)
    table.add_column(justify="right", no_wrap=True)
    for caption, count in rows:
        table.add_row(caption, f"{count:,}".replace(",", "\u202f"))
    if total is not None:
        table.add_row(Text("—"), f"{total:,}".replace(",", "\u202f"))
    return table


class OverviewScreen(DataScreen):
    COMMAND_LIST = commands.OVERVIEW
    # The riskiest items' list has the focus and its first item the cursor, so Enter opens it at
    # once, as its title says (the counts beside it are not interactive).
    AUTO_FOCUS = "#riskiest"
    DEFAULT_CSS = """
    OverviewScreen Horizontal#overview { height: 1fr; }
    OverviewScreen .panel { border: round $primary; padding: 0 1; height: auto; }
    OverviewScreen #left { width: 1fr; }
    OverviewScreen #right { width: 2fr; }
    OverviewScreen Sparkline { height: 4; margin: 0 1; }
    OverviewScreen #riskiest { height: 1fr; min-height: 6; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="overview"):
            with VerticalScroll(id="left"):
                yield Static(id="exposure", classes="panel")
                yield Static(id="reasons", classes="panel")
                yield Static(id="kinds", classes="panel")
            with Vertical(id="right"):
                yield Static(id="context", classes="panel")
                with Vertical(classes="panel", id="timeline-panel"):
                    yield Label(id="timeline-title")
                    yield Sparkline([], id="timeline")
                    yield Label(id="timeline-range")
                yield Label(Text(self.t("riskiest"), style="bold"))
                yield OptionList(id="riskiest")
        yield Footer()

    def sync(self, force: bool = False) -> None:
        session = self.inventory.session
        if session is None or (session.version == self.synced_version and not force):
            return
        self.synced_version = session.version
        frame = session.frame
        counts = views.exposure_counts(frame)
        self.query_one("#exposure", Static).update(_counts_table(
            [(Text(self.t(f"v-{name}")), counts[name]) for name in views.EXPOSURES], frame.height))
        self.query_one("#exposure", Static).border_title = self.t("by-exposure")
        reasons = views.excluded_reasons(frame)
        self.query_one("#reasons", Static).update(_counts_table(
            [(Text(self.t(f"v-{code}")), n) for code, n in reasons] or [(Text(self.t("none")), 0)]))
        self.query_one("#reasons", Static).border_title = self.t("by-reason")
        kinds = views.count_by(frame, "kind")
        self.query_one("#kinds", Static).update(_counts_table(
            [(safe(kind_label(kind, self.lang), single_line=True), n) for kind, n in kinds[:15]]))
        self.query_one("#kinds", Static).border_title = self.t("by-kind")
        self._show_context()
        buckets = views.timeline(frame)
        self.query_one("#timeline-title", Label).update(Text(self.t("timeline"), style="bold"))
        self.query_one("#timeline", Sparkline).data = [n for _, n in buckets] or [0]
        span = f"{buckets[0][0]} \u2192 {buckets[-1][0]}  (max {max(n for _, n in buckets)})" if buckets else self.t("none")
        self.query_one("#timeline-range", Label).update(Text(span))
        options = self.query_one("#riskiest", OptionList)
        options.clear_options()
        for row in views.riskiest(frame, 12).iter_rows(named=True):
            text = Text(f"{row['risk']:>3} ", style="bold red")
            text.append(safe(kind_label(row["kind"] or "unknown", self.lang), single_line=True))
            text.append("  ")
            text.append(safe(row.get("title") or row.get("text"), single_line=True, limit=120))
            options.add_option(Option(text, id=row["id"]))
        if options.option_count:
            options.highlighted = 0

    def _show_context(self) -> None:
        analysis = self.inventory.session.analysis
        context = analysis.context
        region = region_label(context.region, self.lang) if context.region else self.t("unknown")
        if getattr(analysis, "region_inferred", False):
            region += " " + self.t("inferred")
        lines = Text()
        lines.append(self.t("policy", id=analysis.policy.id, version=analysis.policy.version) + "\n")
        lines.append(self.t("member-region", region=region) + "\n")
        opted = format_day(context.opted_out_on, self.lang) if context.opted_out_on else self.t("not-opted-out")
        lines.append(self.t("member-opted-out", date=opted) + "\n")
        lines.append(self.t("member-minor", minor=self.t("yes") if context.minor else self.t("no")) + "\n")
        session = self.inventory.session
        lines.append((self.t("first-review") if session.first_review
                      else self.t("new-since-review", count=len(session.new_ids))) + "\n")
        lines.append(self.t("change-context-hint"), style="dim")
        panel = self.query_one("#context", Static)
        panel.update(lines)
        panel.border_title = self.t("context")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.inventory.show_detail(event.option.id)


FACETS = ("exposure", "reason", "kind", "finding", "suggestion", "decision")
# The Reason filter's width at least: its short labels (i18n.reason_label, at most
# REASON_LABEL_MAX characters, a test checks) with the arrow and padding, at 80 columns too.
REASON_LABEL_MAX = 17
REASON_WIDTH = REASON_LABEL_MAX + 4


class ItemsScreen(DataScreen):
    COMMAND_LIST = commands.ITEMS
    DEFAULT_CSS = """
    ItemsScreen #facets, ItemsScreen #search-row { height: auto; }
    ItemsScreen #facets Select { width: 1fr; }
    ItemsScreen #search-row Input { width: 1fr; }
    ItemsScreen #search-row #search { width: 3fr; }
    ItemsScreen #search-row #search-mode { width: 18; margin: 0 1; }
    ItemsScreen #search-row #date-from, ItemsScreen #search-row #date-to { width: 17; margin-right: 1; }
    ItemsScreen #counts, ItemsScreen #what-if { height: 1; padding: 0 1; background: $panel; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="facets"):
            for facet in FACETS:
                select = Select([], prompt=self.t(f"filter-{facet}"), id=f"filter-{facet}", compact=True)
                # Never narrower than its own name and arrow, in either language (the reason's
                # short labels: REASON_WIDTH).
                select.styles.min_width = REASON_WIDTH if facet == "reason" else len(self.t(f"filter-{facet}")) + 4
                yield select
        with Horizontal(id="search-row"):
            yield Input(placeholder=self.t("search-placeholder"), id="search", compact=True)
            yield Select([(Text(self.t("search-plain")), "plain"), (Text(self.t("search-fuzzy")), "fuzzy")],
                         value="plain", allow_blank=False, id="search-mode", compact=True)
            yield Input(placeholder=self.t("date-from"), id="date-from", compact=True)
            yield Input(placeholder=self.t("date-to"), id="date-to", compact=True)
        yield ItemTable(self.lang, id="items")
        yield Label(id="counts")
        yield Label(id="what-if")
        yield Footer()

    @property
    def table(self) -> ItemTable:
        return self.query_one(ItemTable)

    def on_mount(self) -> None:
        self.table.focus()

    def sync(self, force: bool = False) -> None:
        session = self.inventory.session
        if session is None:
            return
        if session.facets_version != getattr(self, "_facets_version", None):
            self._facets_version = session.facets_version
            facets = views.facet_values(session.frame)
            for facet in FACETS:
                if facet == "reason":
                    continue  # follows the other filters (below)
                select = self.query_one(f"#filter-{facet}", Select)
                current = getattr(session.filters, facet)
                with select.prevent(Select.Changed):
                    select.set_options([(Text(self._facet_label(facet, v)), v) for v in facets[facet]])
                    if current in facets[facet]:
                        select.value = current
        if session.reasons != getattr(self, "_reasons", None):
            self._reasons = session.reasons
            select = self.query_one("#filter-reason", Select)
            with select.prevent(Select.Changed):
                labelled = sorted((self._facet_label("reason", v).casefold(), self._facet_label("reason", v), v)
                                  for v in session.reasons)
                select.set_options([(Text(caption), v) for _, caption, v in labelled])
                if session.filters.reason in session.reasons:
                    select.value = session.filters.reason
        if session.version != self.synced_version or force:
            self.synced_version = session.version
            self.table.set_frame(session.view, session.decisions, keep_id=self.table.cursor_id)
        else:
            self.table.set_decisions(session.decisions)
        self._status()

    def _facet_label(self, facet: str, value: str) -> str:
        if facet == "kind":
            return kind_label(value, self.lang)
        if facet == "finding":
            return type_label(value, self.lang)
        if facet == "reason":
            return sanitise_text(reason_label(value, self.lang), single_line=True)
        return self.t(f"v-{value}")

    def _status(self) -> None:
        session = self.inventory.session
        shown, total = session.view.height, session.frame.height
        selected = len(self.table.selected)
        sort = self.t(f"col-{session.sort_column}") + (" \u2193" if session.sort_descending else " \u2191")
        text = self.t("counts", items=self.t("n-items-of", count=shown, total=total),
                      selected=self.t("n-selected", count=selected), sort=sort)
        counts = views.exposure_counts(session.view)
        text += "  " + "  ".join(f"{self.t('v-' + k)} {v}" for k, v in counts.items())
        self.query_one("#counts", Label).update(Text(text))
        result = checklist.what_if(session.frame, session.decisions)
        before, after = result["before"], result["after"]
        self.query_one("#what-if", Label).update(Text(self.t(
            "what-if", training_now=before["training"], training_after=after["training"],
            risky_now=before["risky"], risky_after=after["risky"], deleted=self.t("n-deleted", count=result["deleted"]),
            edited=self.t("n-edited", count=result["edited"]))))

    # ---- filters -------------------------------------------------------------------------
    def on_select_changed(self, event: Select.Changed) -> None:
        select_id = event.select.id or ""
        value = None if event.value is Select.BLANK else event.value
        if select_id == "search-mode":
            self.inventory.set_filters(search_mode=value or "plain")
        elif select_id.startswith("filter-"):
            self.inventory.set_filters(**{select_id.removeprefix("filter-"): value})

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self.inventory.set_filters(search=event.value)
        elif event.input.id in ("date-from", "date-to"):
            try:
                day = views.parse_member_date(event.value)
            except ValueError:
                event.input.add_class("-invalid")
                return
            event.input.remove_class("-invalid")
            self.inventory.set_filters(**{event.input.id.replace("-", "_"): day})

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id in ("date-from", "date-to"):
            self._say_date(event.input)
        self.table.focus()

    def _say_date(self, box: Input) -> None:
        """Leaving a date box says what was understood, or that it was not (the red border alone
        is easy to miss)."""
        try:
            day = views.parse_member_date(box.value)
        except ValueError:
            self.notify(self.t("bad-date"), severity="error")
            return
        if day is not None:
            self.notify(self.t(f"{box.id}-understood", date=format_day(day, self.lang)))

    def on_key(self, event: events.Key) -> None:
        # Escape leaves any box for the table, as Enter does (the box keeps its text).
        if event.key == "escape" and isinstance(self.focused, Input):
            event.stop()
            if self.focused.id in ("date-from", "date-to"):
                self._say_date(self.focused)
            self.table.focus()

    def on_item_table_opened(self, event: ItemTable.Opened) -> None:
        self.inventory.show_detail(event.item_id)

    # ---- actions ---------------------------------------------------------------------------
    def _targets(self) -> list[str]:
        if self.table.selected:
            return sorted(self.table.selected)
        return [self.table.cursor_id] if self.table.cursor_id else []

    def action_decide(self, action: str | None) -> None:
        selection = bool(self.table.selected)
        self.inventory.decide(self._targets(), action)
        if selection and not self.inventory.store.read_only:
            self.action_clear_selection()  # a decision on the selection is done with it

    def action_toggle_select(self) -> None:
        # The cursor stays on the row: the mark shows at once where the key was pressed.
        self.table.toggle_selected()
        self._status()

    def action_clear_selection(self) -> None:
        self.table.clear_selection()
        self._status()

    def action_decide_filtered(self) -> None:
        ids = self.inventory.session.view["id"].to_list()
        self.inventory.confirm_bulk(ids, self.t("bulk-filter", count=len(ids)), self.action_clear_selection)

    def action_decide_cluster(self) -> None:
        if self.table.cursor_id:
            self.inventory.decide_cluster(self.table.cursor_id, self.action_clear_selection)

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_toggle_fuzzy(self) -> None:
        mode = self.query_one("#search-mode", Select)
        mode.value = "plain" if mode.value == "fuzzy" else "fuzzy"

    def action_cycle_sort(self) -> None:
        session = self.inventory.session
        order = list(views.SORTABLE)
        column = order[(order.index(session.sort_column) + 1) % len(order)] if session.sort_column in order else order[0]
        self.inventory.set_sort(column, session.sort_descending)

    def action_reverse_sort(self) -> None:
        session = self.inventory.session
        self.inventory.set_sort(session.sort_column, not session.sort_descending)

    def action_clear_filters(self) -> None:
        for facet in FACETS:
            with self.query_one(f"#filter-{facet}", Select).prevent(Select.Changed):
                self.query_one(f"#filter-{facet}", Select).clear()
        for input_id in ("#search", "#date-from", "#date-to"):
            with self.query_one(input_id, Input).prevent(Input.Changed):
                self.query_one(input_id, Input).value = ""
        self.inventory.set_filters(reset=True)

    def action_show_detail(self) -> None:
        if self.table.cursor_id:
            self.inventory.show_detail(self.table.cursor_id)


class DetailScreen(DataScreen):
    COMMAND_LIST = commands.DETAIL
    DEFAULT_CSS = """
    DetailScreen VerticalScroll { padding: 0 1; }
    DetailScreen .section { margin-top: 1; }
    DetailScreen #detail-text { border: round $primary; padding: 0 1; }
    """

    def __init__(self, lang: str, item_id: str) -> None:
        super().__init__(lang)
        self.item_id = item_id

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Static(id="detail-head")
            yield Static(id="detail-text")
            yield Static(id="detail-findings", classes="section")
            yield Static(id="detail-verdict", classes="section")
            yield Static(id="detail-suggestion", classes="section")
            yield Static(id="detail-duplicates", classes="section")
            yield Static(id="detail-link", classes="section")
        yield Footer()

    def row(self) -> dict | None:
        frame = self.inventory.session.frame
        found = frame.filter(pl.col("id") == self.item_id)
        return found.row(0, named=True) if found.height else None

    def sync(self, force: bool = False) -> None:
        session = self.inventory.session
        row = self.row() if session is not None else None
        if row is None:
            self.query_one("#detail-head", Static).update(Text(self.t("item-gone")))
            return
        decision = session.decisions.get(self.item_id)
        head = Text()
        head.append(safe(kind_label(row.get("kind") or "unknown", self.lang), single_line=True, style="bold"))
        head.append(f"  {row['date']:%Y-%m-%d %H:%M}" if row.get("date") else "")
        head.append("  ")
        head.append(safe(f"{row.get('source')}:{row.get('line')}", single_line=True, style="dim"))
        head.append("  " + self.t("decision-is", decision=self.t(f"v-{decision}") if decision else self.t("v-undecided")))
        if row.get("title") or row.get("field"):
            head.append("\n")
            head.append(safe(row.get("title") or row.get("field"), style="bold"))
        self.query_one("#detail-head", Static).update(head)
        self.query_one("#detail-text", Static).update(with_findings(row.get("text") or "", row.get("findings")))
        findings = Text(self.t("findings") + "\n", style="bold")
        for finding, why in zip(row.get("findings") or [], explain_findings(row, self.lang)):
            findings.append(self.t("finding-head", type=type_label(str(finding.get("type")), self.lang)), style="bold")
            findings.append(safe(why, single_line=True))
            findings.append("  " + self.t("quote-open"))
            findings.append(safe(finding.get("text") or "", single_line=True, limit=80, style="reverse"))
            findings.append(self.t("quote-close") + "\n")
        if not row.get("findings"):
            findings.append(self.t("no-findings"))
        self.query_one("#detail-findings", Static).update(findings)
        self.query_one("#detail-verdict", Static).update(self._verdict(row))
        suggestion = Text(self.t("suggestion") + " ", style="bold")
        suggestion.append(self.t(f"v-{row.get('suggestion')}") if row.get("suggestion") else "")
        if row.get("suggested_text"):
            suggestion.append("\n" + self.t("suggested-text") + "\n", style="bold")
            suggestion.append(safe(suggested_text(row, self.lang)))
        self.query_one("#detail-suggestion", Static).update(suggestion)
        duplicates = views.near_duplicates(session.frame, self.item_id)
        dup_text = Text(self.t("duplicates", count=duplicates.height) + "\n", style="bold")
        for dup in duplicates.head(20).iter_rows(named=True):
            dup_text.append(f"\u2022 {dup['date']:%Y-%m-%d} " if dup.get("date") else "\u2022 ")
            dup_text.append(safe(dup.get("text"), single_line=True, limit=100))
            dup_text.append("\n")
        self.query_one("#detail-duplicates", Static).update(dup_text)
        url = safe_linkedin_url(row.get("url"))
        self.query_one("#detail-link", Static).update(
            link(url, self.t("open-on-linkedin", url=url)) if url else Text(self.t("no-link")))

    def _verdict(self, row: dict) -> Text:
        verdict = Text(self.t("verdict") + "\n", style="bold")
        rule = row.get("rule") or ""
        words = sanitise_text(reason_label(rule, self.lang), single_line=True)
        verdict.append(self.t("verdict-line", exposure=self.t(f"v-{row.get('exposure')}"), reason=self._reason(row),
                              rule=words))
        if words != rule:
            # The id, dim, to look the rule up in inventory/data/policy.toml (a rule the
            # catalogues do not know, from the member's own policy file, is shown as its id).
            verdict.append(f" ({sanitise_text(rule, single_line=True)})", style="dim")
        if row.get("source_url"):
            verdict.append("\n" + self.t("verdict-source") + " ")
            verdict.append_text(link(row["source_url"], row["source_url"]) if safe_linkedin_url(row["source_url"])
                                else safe(row["source_url"], single_line=True))
        if row.get("risk"):
            verdict.append("\n" + self.t("risk-line", risk=row["risk"]) + " ")
            policy = getattr(self.inventory.session.analysis, "policy", None)
            verdict.append(safe(", ".join(explain_reasons(row, self.lang, policy)), single_line=True))
        return verdict

    def _reason(self, row: dict) -> str:
        """Excluded items carry a reason code (labelled here); the others a key of the policy's
        sentence, shown in the interface language where the catalogues translate it."""
        reason = row.get("exposure_reason") or ""
        policy = getattr(self.inventory.session.analysis, "policy", None)
        if not reason or row.get("exposure") == "excluded" or policy is None:
            return self.t(f"v-{reason}") if reason else ""
        return sanitise_text(typography(reason_words(policy, reason, self.lang), self.lang), single_line=True)

    def action_decide(self, action: str | None) -> None:
        self.inventory.decide([self.item_id], action)

    def action_decide_cluster(self) -> None:
        self.inventory.decide_cluster(self.item_id)

    def action_open_link(self) -> None:
        row = self.row()
        url = safe_linkedin_url(row.get("url")) if row else None
        if url is None:
            self.notify(self.t("no-link"), severity="warning")
            return
        try:
            opened = webbrowser.open(url)
        except webbrowser.Error:
            opened = False
        if not opened:  # e.g. a server or a bare terminal: say so, and hand over the link
            self.app.copy_to_clipboard(url)
            self.notify(self.t("no-browser", url=url), severity="warning", timeout=15)


class ChecklistScreen(DataScreen):
    """The checklist as the member will read it: its Markdown rendered (headings, check boxes,
    lists), redrawn only when its text changes. Links open only when they are LinkedIn's."""

    COMMAND_LIST = commands.CHECKLIST
    DEFAULT_CSS = """
    ChecklistScreen VerticalScroll { padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Markdown(id="checklist-preview", open_links=False)
        yield Footer()

    def sync(self, force: bool = False) -> None:
        if self.inventory.session is None:
            return
        text = self.inventory.checklist_text("md")
        if text != getattr(self, "_shown", None) or force:
            self._shown = text
            self.query_one("#checklist-preview", Markdown).update(text)

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        url = safe_linkedin_url(event.href)
        if url is None:
            self.notify(self.t("no-link"), severity="warning")
        elif not webbrowser.open(url):
            self.app.copy_to_clipboard(url)
            self.notify(self.t("no-browser", url=url), severity="warning", timeout=15)

    def action_export_checklist(self) -> None:
        default = str(self.inventory.default_checklist_path())

        def write(answer: str | None) -> None:
            if answer:
                self.inventory.export_checklist(answer)

        self.app.push_screen(PathModal(self.t("export-prompt"), default, self.lang), write)
