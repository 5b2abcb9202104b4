"""Every case 1-77 of the bad-input checklist (docs/bad-input.md) maps to the tests
that cover it, by node name, and every mapped test must exist: a renamed or deleted test fails
here instead of silently leaving a case untested.

A name matches a collected node exactly or as its parametrized family (`name[...]`). When this
file runs alone, tests of files outside the session are checked in their source (AST) instead.
Cases whose required behaviour the code lacks also name their test in tests/pending_hostile.py
(not collected, must exist); see PENDING."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

TESTS = Path(__file__).parents[1]
H = "tests/functional/test_hostile_input.py::"
A = "tests/unit/test_archive.py::"
M = "tests/unit/test_archive_memory.py::"
C = "tests/unit/test_csvdialect.py::"
S = "tests/unit/test_state.py::"
F = "tests/unit/test_files.py::"
P = "tests/functional/test_path_inputs.py::"

CHECKLIST: dict[int, list[str]] = {
    # A. container
    1: [A + "test_empty_file_is_not_a_zip", H + "test_hostile_container_is_one_line_exit_2[01-empty]"],
    2: [A + "test_pdf_renamed_is_not_a_zip", H + "test_hostile_container_is_one_line_exit_2[02-pdf-renamed]",
        H + "test_hostile_container_is_one_line_exit_2[02-html-renamed]"],
    3: [A + "test_half_archive_is_truncated", H + "test_hostile_container_is_one_line_exit_2[03-half-sample]"],
    4: [A + "test_entry_count_patched_is_inconsistent",
        H + "test_hostile_container_is_one_line_exit_2[04-count-plus-one]"],
    5: [A + "test_too_many_entries_names_limit_and_flag",
        H + "test_hostile_container_is_one_line_exit_2[05-10001-entries]"],
    6: [A + "test_quoted_overlap_bomb_refused", M + "test_overlap_bomb_refused_without_growing",
        H + "test_hostile_container_is_one_line_exit_2[06-quoted-overlap]"],
    7: [A + "test_many_central_records_on_one_local_header_refused",
        H + "test_hostile_container_is_one_line_exit_2[07-shared-header]"],
    8: [A + "test_local_name_differs_from_central_name",
        H + "test_hostile_container_is_one_line_exit_2[08-name-mismatch]"],
    9: [A + "test_second_central_directory_in_comment_is_ambiguous",
        H + "test_hostile_container_is_one_line_exit_2[09-hidden-central-directory]",
        H + "test_checklist_on_hostile_archive_writes_no_output_file"],
    10: [A + "test_split_archive_refused", H + "test_hostile_container_is_one_line_exit_2[10-split]"],
    11: [A + "test_stub_before_archive_warns_and_reads", H + "test_stub_before_archive_warns_and_reads"],
    12: [A + "test_trailing_garbage_refused", H + "test_hostile_container_is_one_line_exit_2[12-trailing-bytes]"],
    13: [A + "test_zip64_reads_normally", A + "test_python_zip_with_data_descriptors_and_flags_0808",
         H + "test_zip64_and_data_descriptor_archives_read_normally"],
    # B. entry names
    14: [A + "test_unsafe_names_are_listed_never_read", H + "test_unsafe_names_listed_unknown_never_read"],
    15: [A + "test_nul_in_name_is_not_the_truncated_name", H + "test_nul_in_name_is_not_read_as_the_truncated_name"],
    16: [A + "test_name_over_limit", H + "test_hostile_container_is_one_line_exit_2[16-long-name]"],
    17: [A + "test_duplicate_member_refused", A + "test_duplicate_message_sanitises_the_name",
         H + "test_hostile_container_is_one_line_exit_2[17-duplicate]"],
    18: [A + "test_case_twins_warn_and_only_first_is_read", H + "test_case_twins_warn_and_one_is_parsed"],
    19: [H + "test_nfc_nfd_twins_of_a_parsed_table_refused",
         "tests/unit/test_archive.py::test_nfc_and_nfd_twins_of_a_table_are_refused"],
    20: [A + "test_undecodable_utf8_name_refused", H + "test_hostile_container_is_one_line_exit_2[20-undecodable-name]"],
    21: [A + "test_escape_and_bidi_in_name_shown_as_replacement",
         H + "test_escape_or_bidi_in_name_warns_and_never_reaches_the_terminal"],
    22: [A + "test_directory_with_data_is_listed_not_read", H + "test_directory_with_data_warns_and_is_not_read"],
    23: [A + "test_symlink_member_listed_never_followed", H + "test_symlink_member_listed_never_followed"],
    24: [A + "test_nested_archive_listed_with_size_not_opened", H + "test_inner_zip_listed_not_opened"],
    # C. compression
    25: [A + "test_encrypted_member_skipped_with_warning", H + "test_encrypted_member_skipped_with_counted_warning"],
    26: [A + "test_unsupported_methods_listed_with_warning", H + "test_unsupported_method_skipped_with_counted_warning"],
    27: [A + "test_bzip2_and_lzma_only_when_allowed", H + "test_bzip2_lzma_warn_unless_allowed_by_flag"],
    28: [A + "test_deflate64_member_reads_like_deflate", H + "test_deflate64_csv_parsed_like_deflate"],
    29: [A + "test_deflate64_bomb_refused_before_decompressing",
         M + "test_deflate64_bomb_with_honest_header_refused_at_default_limits",
         H + "test_hostile_member_is_one_line_exit_2_naming_the_member[29-deflate64-bomb]",
         "tests/unit/test_fuzz.py::test_bomb_biased_mutants_stay_within_memory_bound"],
    30: [A + "test_deflate64_bomb_declaring_1_kib", M + "test_deflate64_bomb_declaring_1_kib_stays_small",
         H + "test_hostile_member_is_one_line_exit_2_naming_the_member[30-deflate64-bomb-declaring-1KiB]"],
    31: [A + "test_deflate_bomb_warns_then_refused_by_lowered_limit", M + "test_deflate_bomb_counted_and_refused",
         H + "test_deflate_bomb_ratio_warning_then_refused_by_lowered_limit"],
    32: [A + "test_declared_size_smaller_than_real",
         H + "test_hostile_member_is_one_line_exit_2_naming_the_member[32-declared-smaller]"],
    33: [A + "test_flipped_stored_byte_is_checksum_mismatch",
         H + "test_hostile_member_is_one_line_exit_2_naming_the_member[33-stored-byte-flipped]"],
    34: [A + "test_flipped_compressed_byte_is_corrupt_data",
         H + "test_hostile_member_is_one_line_exit_2_naming_the_member[34-compressed-byte-flipped]"],
    # D. CSV bytes
    35: [C + "test_invalid_utf8_value_is_replaced_and_counted", H + "test_invalid_utf8_value_read_lossy_and_counted"],
    36: [C + "test_invalid_utf8_header_refuses_the_table", H + "test_invalid_utf8_header_refuses_that_table_exit_2"],
    37: [C + "test_utf16_with_bom_is_decoded_never_parsed_raw", H + "test_utf16_decoded_like_utf8"],
    38: [C + "test_utf8_bom_is_stripped", H + "test_utf8_bom_read_normally"],
    39: [C + "test_nul_bytes_are_replaced_and_counted", H + "test_nul_in_values_counted_and_never_output"],
    40: [C + "test_cr_only_line_ends_are_not_a_silent_empty_table", H + "test_cr_only_line_ends_never_a_silent_empty_table"],
    41: [C + "test_overlong_row_is_skipped_and_counted", H + "test_two_mib_line_skipped_and_counted",
         H + "test_two_mib_header_refuses_the_table"],
    # E. CSV structure
    42: [C + "test_ragged_row_is_skipped_counted_and_located", H + "test_row_with_extra_field_skipped_counted_never_truncated"],
    43: [C + "test_short_row_is_kept_padded_and_reported", H + "test_row_missing_fields_kept_and_reported"],
    44: [C + "test_duplicate_column_is_refused_unless_the_file_is_known_to_repeat_names",
         H + "test_duplicate_column_refuses_the_table"],
    45: [C + "test_empty_header_name_is_reported_except_learning_trailing_comma", H + "test_empty_header_name_warns"],
    46: [C + "test_unterminated_quote_costs_its_record_only_and_reading_resumes_on_the_next_line",
        H + "test_unterminated_quote_costs_its_record_with_line_number"],
    47: [C + "test_header_only_and_empty_files_are_empty_tables_with_a_notice",
         H + "test_header_only_or_empty_table_is_an_empty_table_with_notice",
         H + "test_zero_byte_connections_is_an_empty_table"],
    48: [H + "test_renamed_required_column_refuses_without_quoting_cells",
         H + "test_renamed_required_column_names_the_expected_column"],
    49: [C + "test_preamble_is_skipped_only_up_to_the_expected_header", H + "test_preamble_lines_skipped_and_counted",
         H + "test_connections_preamble_lines_are_counted",
         H + "test_unknown_preamble_before_a_known_header_does_not_lose_rows"],
    # F. values
    50: [C + "test_impossible_or_unknown_dates_stay_null_and_are_counted", H + "test_impossible_date_kept_as_text_and_counted",
         H + "test_implausible_years_kept_as_text_and_counted"],
    51: [C + "test_spreadsheet_formulas_are_kept_verbatim_as_data", "tests/unit/test_checklist.py::test_csv_cell_injection",
         "tests/unit/test_checklist.py::test_html_self_contained_escaped_no_script",
         "tests/unit/test_checklist.py::test_markdown_fence_cannot_be_closed_by_content"],
    52: [H + "test_twenty_mb_field_skipped_and_counted"],
    # G. HTML
    53: [H + "test_article_scripts_handlers_and_links_become_text"],
    54: [H + "test_article_scripts_handlers_and_links_become_text", H + "test_offline_guard_records_connect_lookup_and_stray_write"],
    55: [H + "test_huge_or_deep_article_skipped_with_warning"],
    # H. multiple archives
    56: ["tests/unit/test_readers.py::test_basic_and_complete_merge_without_duplicates"],
    57: [H + "test_same_file_twice_warns_and_reads_once"],
    58: [H + "test_two_members_exports_refused"],
    # I. state file
    59: [S + "test_corrupt_file_moved_aside_never_overwritten", H + "test_truncated_state_exit_3_and_file_kept_aside",
        H + "test_fifo_or_deeply_nested_state_exit_3_and_moved_aside"],
    60: [S + "test_newer_schema_is_read_only_and_untouched", H + "test_newer_schema_state_never_modified_by_the_cli"],
    61: [S + "test_second_instance_is_locked"],
    62: [S + "test_kill_9_during_saves_leaves_old_or_new_state"],
    # J. output files
    63: [F + "test_existing_destination_refused_without_force", F + "test_symlink_destination_refused_and_never_followed",
         H + "test_existing_output_refused_without_force", H + "test_symlink_output_refused_and_never_followed"],
    64: [F + "test_disk_full_leaves_old_file_and_no_temp", F + "test_read_only_folder_is_an_environment_problem",
         H + "test_unwritable_output_exit_3_and_no_temp_left"],
    # K. environment
    65: [F + "test_private_dir_on_read_only_parent_names_the_path",
         H + "test_read_only_home_is_exit_3_naming_the_path_and_state_option_works",
         H + "test_unset_home_is_exit_3_naming_home"],
    66: [S + "test_disk_full_during_save_keeps_previous_state"],
    67: ["tests/functional/test_cli.py::test_ui_without_a_terminal_exits_3", H + "test_ui_without_terminal_exit_3_one_line",
         "tests/functional/test_tui.py::test_run_refuses_without_a_terminal"],
    68: ["tests/functional/test_tui.py::test_tiny_terminal_says_too_small"],
    69: [H + "test_messages_print_in_any_locale"],
    70: [F + "test_file_0600_and_folders_0700_under_umask_000", H + "test_umask_000_output_0600"],
    # L. terminal rendering
    71: [H + "test_markup_in_a_cell_is_shown_literally", "tests/functional/test_tui.py::test_hostile_text_is_inert_in_every_widget"],
    72: [H + "test_control_bidi_and_zero_width_never_reach_the_screen",
         "tests/functional/test_tui.py::test_hostile_text_is_inert_in_every_widget",
         "tests/functional/test_tui_pty.py::test_escapes_from_an_export_never_reach_the_terminal"],
    73: ["tests/unit/test_views.py::test_sanitise_makes_escapes_and_invisible_characters_visible",
         H + "test_control_bidi_and_zero_width_never_reach_the_screen"],
    74: [H + "test_crash_with_canary_in_locals_prints_no_data",
         "tests/functional/test_tui.py::test_crash_prints_one_fixed_line_without_locals"],
    # M. paths given to a command
    75: [P + "test_a_path_that_is_not_a_readable_file_is_one_line_and_never_waited_on",
         P + "test_a_device_as_the_state_is_left_in_place",
         F + "test_open_regular_refuses_at_once_what_is_not_a_regular_file"],
    76: [P + "test_output_onto_a_fifo_folder_or_device_is_refused_even_with_force",
         F + "test_atomic_write_never_replaces_a_fifo_or_a_folder"],
    77: [P + "test_an_empty_folder_is_not_an_export", A + "test_neither_file_nor_folder"],
}

# Cases where the code does not yet do all the checklist asks: the test stating the required
# behaviour waits in tests/pending_hostile.py (reported to the lead).
PENDING: dict[int, list[str]] = {
}


@cache
def _defined(path: str) -> frozenset[str]:
    tree = ast.parse((TESTS.parent / path).read_text())
    return frozenset(n.name for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))


def test_every_case_has_a_test_or_a_pending_one():
    assert sorted(CHECKLIST) == list(range(1, 78))
    for case, tests in CHECKLIST.items():
        assert tests or case in PENDING, f"case {case} has no test"


def test_every_mapped_test_exists(request):
    collected = {item.nodeid for item in request.session.items}
    families = {nodeid.split("[", 1)[0] for nodeid in collected}
    files_in_session = {nodeid.split("::", 1)[0] for nodeid in collected}
    missing = []
    for case, tests in CHECKLIST.items():
        for node in tests:
            path, name = node.split("::", 1)
            if path in files_in_session:
                found = node in collected or ("[" not in node and node in families)
            else:  # this file ran without that one: check the source instead
                found = (TESTS.parent / path).exists() and name.split("[", 1)[0] in _defined(path)
            if not found:
                missing.append(f"case {case}: {node}")
    assert not missing, "checklist tests missing: " + "; ".join(missing)


def test_every_pending_test_exists():
    if not PENDING:  # nothing pending: the file is gone with the last fix
        assert not (TESTS / "pending_hostile.py").exists()
        return
    defined = _defined("tests/pending_hostile.py")
    missing = [f"case {case}: {name}" for case, names in PENDING.items() for name in names if name not in defined]
    assert not missing, missing

