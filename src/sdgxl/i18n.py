"""Texts and formatting in Vietnamese (default) and English: the one home for both.

* ``t("key", lang, **params)`` returns a message of :data:`MESSAGES`; Vietnamese is the
  reference text and every key has both languages (a test checks it).
* :func:`number` and :func:`date` are the one number and date formatter per language:
  Vietnamese ``9,78``, ``1.234``, ``30/11/2026``; English ``9.78``, ``1,234``, ``2026-11-30``.
* :func:`render` fills a template with *typed* parameters at the edge (terminal, JSON,
  workbook, feedback): problems are stored as data (numbers, ranges, ids) and become words
  only when shown, in the reader's language. A parameter is rendered by its type and the
  field's format spec:

  ========================  =====================================================
  ``{x}``                   float → :func:`number`; int → digits (a year, a count);
                            None → empty; str → as is (data, never reinterpreted)
  ``{x:range}``             ``[lo, hi]`` → ``lo – hi`` (None → −∞ / ∞)
  ``{x:or}`` / ``{x:and}``  a list, each item rendered, joined by `` / `` or ``, ``
  ``{x:statuses}``          data-status codes → their labels in the language
  ``{x:when}``              a UTC ISO 8601 time → :func:`datetime` in Vietnam time
  ``{x:s}``                 a count's plural ending: ``s`` in English unless the count
                            is 1, nothing in Vietnamese (``{n} indicator{n:s}``)
  ``{x}`` with a dict       ``{"t": key, **params}``: the message ``key`` rendered with
                            those params; ``{"vi": …, "en": …}``: a text given in both
                            languages (issues recorded before parameters were typed)
  ========================  =====================================================
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import string
from collections.abc import Mapping
from typing import Any, Literal

Lang = Literal["vi", "en"]

__all__ = ["MESSAGES", "Lang", "date", "default_lang", "number", "render", "t"]

MESSAGES: dict[str, tuple[str, str]] = {
    # CLI
    "catalogue_ok": ("Danh mục hợp lệ: {path} ({goals} mục tiêu, {targets} mục tiêu cụ thể, "
                     "{indicators} chỉ tiêu, {agencies} cơ quan).",
                     "Catalogue is valid: {path} ({goals} goals, {targets} targets, "
                     "{indicators} indicators, {agencies} agencies)."),
    "catalogue_has_problems": ("Danh mục {path} có {n} lỗi", "Catalogue {path} has {n} problem{n:s}"),
    "bundled_catalogue": ("danh mục kèm theo", "bundled"),
    "written": ("Đã ghi {path}", "Wrote {path}"),
    "usage_error": ("Lỗi: {message}", "Error: {message}"),
    "deadline_passed": ("Chú ý: hạn gửi ghi trên biểu mẫu ({deadline}) đã qua. Nếu cần, tạo lại với "
                        "--deadline dd/mm/yyyy.",
                        "Note: the deadline on the forms ({deadline}) has passed. If need be, generate them again "
                        "with --deadline YYYY-MM-DD."),
    "new_ledger": ("Chưa có sổ theo dõi ở {path}: tạo sổ mới. Nếu sổ của các năm trước ở chỗ khác, dừng lại và "
                   "chỉ ra nó bằng --db hoặc biến môi trường SDGXL_DB.",
                   "No ledger at {path}: starting a new one. If earlier years' ledger is elsewhere, stop and name it "
                   "with --db or the environment variable SDGXL_DB."),
    "bad_plan": ("Cần dạng địa-bàn=tệp-danh-mục (hoặc chỉ địa bàn, dùng danh mục kèm gói): {text}",
                 "Expected area=catalogue-file (or an area alone, for the bundled catalogue): {text}"),
    "merge_needs_two": ("Cần ít nhất hai danh mục để hợp nhất.", "Merging needs two catalogues or more."),
    "merge_done": ("Dự thảo: {n} chỉ tiêu; {match} trùng khớp, {proposed} đề xuất ghép, {conflicts} khác biệt "
                   "(đơn vị, lộ trình), {taken} mã trùng nhưng khác chỉ tiêu. Xem sheet \"Hợp nhất\" của {xlsx}.",
                   "Draft: {n} indicators; {match} matched, {proposed} proposed matches, {conflicts} conflicts "
                   "(unit, roadmap), {taken} codes taken by another indicator. See the \"Hợp nhất\" sheet of {xlsx}."),
    "combined_title": ("Chỉ tiêu chung của các địa bàn năm {year}", "Indicators the areas share, {year}"),
    "h_key": ("Mã", "Code"),
    "no_match": ("Không có chỉ tiêu nào khớp bộ lọc.", "No indicator matches the filter."),
    "unknown_agency": ("Không có cơ quan mã {agency} trong danh mục. Các mã: {ids:and}",
                       "No agency with id {agency} in the catalogue. Ids: {ids:and}"),
    "unknown_goal": ("Không có mục tiêu {goal} (1–17).", "No goal {goal} (1–17)."),
    "bad_format": ("Định dạng không hỗ trợ: {fmt}. Chọn một trong: {choices}",
                   "Unsupported format: {fmt}. Choose one of: {choices}"),
    "internal_error": ("Lỗi nội bộ của sdgxl ({kind}). Chi tiết đã ghi vào {log}; "
                       "hãy gửi tệp này cho bộ phận kỹ thuật.",
                       "sdgxl internal error ({kind}). Details were written to {log}; "
                       "please send that file to technical support."),
    "forms_written": ("Đã tạo {n} biểu mẫu năm {year} trong {out}", "Generated {n} form{n:s} for {year} in {out}"),
    "ledger_waiting": ("Sổ theo dõi đang bị một chương trình khác giữ (DB Browser, sqlite3, một lần tổng hợp "
                       "khác…); chờ tối đa {wait} giây (--wait).",
                       "The ledger is held by another program (DB Browser, sqlite3, another collect…); "
                       "waiting up to {wait} s (--wait)."),
    "year_from_ledger": ("Năm tổng hợp: {year} (chu kỳ đang tổng hợp trong sổ theo dõi; dùng --year để chọn năm "
                         "khác).", "Collecting for {year} (the cycle under way in the ledger; use --year for another "
                         "year)."),
    "year_from_today": ("Năm tổng hợp: {year} (chu kỳ báo cáo hiện tại; dùng --year để chọn năm khác).",
                        "Collecting for {year} (the current reporting cycle; use --year for another year)."),
    "st_unreadable": ("không đọc được, chưa ghi nhận", "cannot be read, not recorded"),
    "demo_title": ("sdgxl demo: toàn bộ chu trình báo cáo trên dữ liệu mẫu",
                   "sdgxl demo: the whole reporting cycle on sample data"),
    # errors (sdgxl.errors: every exception of the package carries one of these keys)
    "file_not_found": ("Không tìm thấy tệp: {path}", "File not found: {path}"),
    "catalogue_not_found": ("Không tìm thấy tệp danh mục: {path}", "Catalogue file not found: {path}"),
    "folder_not_found": ("Không tìm thấy thư mục: {path}", "Folder not found: {path}"),
    "inbox_not_found": ("Không tìm thấy thư mục hộp thư: {path}", "Inbox not found: {path}"),
    "paths_not_found": ("Không tìm thấy: {paths:and}", "Not found: {paths:and}"),
    "no_ledger": ("Chưa có sổ theo dõi: {db}. Chỉ ra sổ đã có bằng --db TỆP hoặc biến môi trường SDGXL_DB "
                  "(ví dụ SDGXL_DB=D:\\sdg\\sdgxl.sqlite).",
                  "No ledger at {db}. Name the existing one with --db FILE or the environment variable SDGXL_DB "
                  "(e.g. SDGXL_DB=D:\\sdg\\sdgxl.sqlite)."),
    "bad_date": ("Ngày không hợp lệ: {text} (cần dd/mm/yyyy, ví dụ 30/12/2026)",
                 "Invalid date: {text} (need YYYY-MM-DD, e.g. 2026-12-30, or dd/mm/yyyy)"),
    "bad_time": ("Thời điểm không hợp lệ: {text} (ví dụ 14/11/2026 09:30 hoặc 2026-11-14)",
                 "Invalid time: {text} (e.g. 2026-11-14 09:30 or 14/11/2026)"),
    "cannot_read": ("Không đọc được {path}: {reason}", "Cannot read {path}: {reason}"),
    "bad_received_line": ("{path}, dòng {line}: cần «tên tệp,thời điểm nhận» "
                          "(ví dụ 2026_SYT_bao-cao-sdg.xlsx,14/11/2026 09:30)",
                          "{path}, line {line}: expected 'file name,time received' "
                          "(e.g. 2026_SYT_bao-cao-sdg.xlsx,2026-11-14 09:30)"),
    "unknown_area": ("Sổ theo dõi không có địa bàn \"{area}\". Các địa bàn có: {known:and}",
                     "The ledger holds no area \"{area}\". Areas it holds: {known:and}"),
    "year_outside_plan": ("Năm {year} nằm ngoài kế hoạch ({first}–{last}): không cơ quan nào phải báo cáo năm đó.",
                          "{year} is outside the plan ({first}–{last}): no agency reports for it."),
    "year_empty": ("Chú ý: sổ theo dõi chưa có báo cáo nào của năm {year} (địa bàn {area}).{then}",
                   "Note: the ledger holds no return for {year} (area {area}) yet.{then}"),
    "year_empty_expected": (" Bảng dưới chỉ là những gì phải nộp.", " The table shows only what is expected."),
    "bad_area": ("Mã địa bàn không hợp lệ: \"{area}\" (chữ thường không dấu, số, dấu -)",
                 "Invalid area id: \"{area}\" (lower-case ASCII, digits, -)"),
    "bad_lang": ("Ngôn ngữ không hỗ trợ: {lang}", "Unsupported language: {lang}"),
    "bad_year": ("Năm không hợp lệ: {year}", "Invalid year: {year}"),
    "no_indicators_for": ("Cơ quan không có chỉ tiêu hay mục tiêu phải báo cáo năm {year}: {agencies:and}. "
                          "Các mã hợp lệ: {valid:and}",
                          "No indicators or targets to report on in {year} for: {agencies:and}. "
                          "Valid ids: {valid:and}"),
    "need_xlsm": ("Tệp phải có đuôi .xlsm", "The file name must end in .xlsm"),
    "extraction_failed": ("Không dựng được danh mục: {detail}", "Extraction failed: {detail}"),
    "output_not_writable": ("Không ghi được {path}: {reason}. Hãy sửa rồi chạy lại; dữ liệu đã nhận không bị mất.",
                            "Cannot write {path}: {reason}. Fix it and run again; nothing received is lost."),
    "why_other": ("tệp đang mở (trong Excel?) hoặc thư mục không cho ghi ({detail})",
                  "the file is open (in Excel?) or the folder is not writable ({detail})"),
    "why_no_folder": ("thư mục chứa nó không có và không tạo được", "its folder does not exist and cannot be made"),
    "why_not_folder": ("một tệp cùng tên đang chiếm chỗ thư mục", "a file is where a folder should be"),
    "why_is_folder": ("đó là một thư mục, không phải tệp", "that is a folder, not a file"),
    "why_denied": ("tệp đang mở (trong Excel?) hoặc không có quyền ghi",
                   "the file is open (in Excel?) or permission is denied"),
    "why_read_only": ("ổ đĩa chỉ cho đọc", "the drive is read-only"),
    "why_full": ("ổ đĩa đã đầy", "the drive is full"),
    "ledger_open_failed": ("Không mở được sổ theo dõi {db}: {reason}", "Cannot open the ledger {db}: {reason}"),
    "ledger_write_failed": ("Không ghi được sổ theo dõi {db}: {reason}", "Cannot write the ledger {db}: {reason}"),
    "ledger_newer": ("Sổ theo dõi {db} do một phiên bản sdgxl mới hơn tạo ra (lược đồ {found}, bản này đọc được "
                     "tới {known}): hãy cập nhật sdgxl; sổ không bị thay đổi.",
                     "The ledger {db} was made by a newer sdgxl (schema {found}; this one reads up to {known}): "
                     "update sdgxl; the ledger was not changed."),
    "ledger_held": ("Sổ theo dõi {db} đang bị một chương trình khác giữ (một lần tổng hợp khác, DB Browser, "
                    "sqlite3…); đã chờ {wait} giây. Hãy đóng chương trình đó rồi chạy lại.",
                    "The ledger {db} is held by another program (another collect, DB Browser, sqlite3…); "
                    "waited {wait} s. Close it and run again."),
    "out_is_inbox": ("Thư mục kết quả không được trùng hộp thư: {path}",
                     "The output folder cannot be the inbox itself: {path}"),
    "ledger_busy": ("Một lần tổng hợp khác đang ghi vào sổ theo dõi; hãy thử lại sau.",
                    "Another collect is writing to the ledger; try again later."),
    "ledger_out_of_order": ("Sổ theo dõi {db} cấp mã hồ sơ không theo thứ tự nhận.",
                            "The ledger {db} numbered submissions out of order."),
    "libreoffice_missing": ("Không tìm thấy LibreOffice (soffice và python3-uno).",
                            "LibreOffice (soffice and python3-uno) was not found."),
    "libreoffice_failed": ("LibreOffice lỗi: {reason}", "LibreOffice failed: {reason}"),
    "file_problem": ("{code}: {reason}", "{code}: {reason}"),
    "setting_missing": ("Chưa điền: {label}", "Please fill in: {label}"),
    "no_consolidated": ("Chưa có bảng tổng hợp năm {year}: {path}. Hãy nhấn Tổng hợp trước.",
                        "No consolidated table for {year} yet: {path}. Press Collect first."),
    # problems in a catalogue file (sdgxl.errors.CatalogueProblem)
    "line_col": ("dòng {line}, cột {col}", "line {line}, column {col}"),
    "cat_not_utf8": ("không phải văn bản UTF-8 ({reason})", "not UTF-8 text ({reason})"),
    "cat_bad_json": ("JSON sai cú pháp: {reason}", "invalid JSON: {reason}"),
    "cat_file_missing": ("không tìm thấy tệp", "file not found"),
    "cat_not_object": ("tệp phải là một đối tượng JSON", "must be a JSON object"),
    "cat_cannot_open": ("không mở được tệp Excel ({reason})", "cannot open the workbook ({reason})"),
    "cat_sheet_missing": ("thiếu sheet", "sheet is missing"),
    # the crosswalk of a catalogue (sdgxl.catalogue.models.Mapping)
    "xw_scheme": ("hệ mã '{scheme}' không có (chỉ có: vn2019, vn2025, global)",
                  "unknown scheme '{scheme}' (known: vn2019, vn2025, global)"),
    "xw_relation": ("quan hệ '{relation}' không có (chỉ có: exact, proxy, partial)",
                    "unknown relation '{relation}' (known: exact, proxy, partial)"),
    "xw_code": ("mã {scheme} '{code}' sai dạng (cần dạng {example})",
                "malformed {scheme} code '{code}' (expected like {example})"),
    "xw_source": ("thiếu nguồn: ghi rõ đối chiếu này lấy từ văn bản nào", "no source: say where this mapping was read"),
    "xw_series": ("chuỗi SDMX (và phân tổ, đơn vị) chỉ ghi cho đối chiếu toàn cầu (global)",
                  "an SDMX series (with its dimensions and unit) belongs to a global mapping"),
    "xw_series_missing": ("thiếu chuỗi SDMX (cột series): phân tổ và đơn vị chỉ ghi kèm một chuỗi",
                          "no SDMX series (column series): dimensions and a unit go with a series"),
    "xw_series_unknown": ("chuỗi SDMX '{series}' không có trong danh sách chuỗi SDG (data/sdg_series.txt)",
                          "SDMX series '{series}' is not in the list of SDG series (data/sdg_series.txt)"),
    "xw_dimension_code": ("mã '{value}' không có trong bảng mã của {dim} (chỉ có: {known})",
                          "code '{value}' is not in the code list of {dim} (known: {known})"),
    "xw_unit_unknown": ("đơn vị SDMX '{value}' không có trong bảng mã đơn vị của các chuỗi SDG",
                        "SDMX unit '{value}' is not a unit code of the SDG series"),
    "xw_sdmx_code": ("mã SDMX '{value}' sai dạng (chữ in hoa, chữ số, _)",
                     "malformed SDMX code '{value}' (upper-case letters, digits, _)"),
    "xw_dimension": ("phân tổ SDMX {dims} không có (chỉ có: {known})",
                     "unknown SDMX dimension {dims} (known: {known})"),
    "xw_duplicate": ("đối chiếu #{n} trùng với #{first} ({scheme} {code})",
                     "mapping #{n} repeats #{first} ({scheme} {code})"),
    "cat_columns_missing": ("thiếu cột: {columns:and}", "missing columns: {columns:and}"),
    "cat_invalid": ("{what}{detail}{accepted}", "{msg}"),  # a pydantic error: its type in Vietnamese, its msg
    "cat_accepted": (" (chấp nhận: {expected})", " (accepted: {expected})"),
    "pyd_missing": ("thiếu trường bắt buộc", "field required"),
    "pyd_extra_forbidden": ("trường không được phép (không có trong định dạng danh mục)", "extra field not permitted"),
    "pyd_string_type": ("phải là chuỗi văn bản", "must be a string"),
    "pyd_int_type": ("phải là số nguyên", "must be an integer"),
    "pyd_int_parsing": ("phải là số nguyên", "must be an integer"),
    "pyd_float_type": ("phải là số", "must be a number"),
    "pyd_float_parsing": ("phải là số", "must be a number"),
    "pyd_enum": ("giá trị không hợp lệ", "invalid value"),
    "pyd_literal_error": ("giá trị không hợp lệ", "invalid value"),
    "pyd_greater_than_equal": ("giá trị quá nhỏ", "value too small"),
    "pyd_less_than_equal": ("giá trị quá lớn", "value too large"),
    "pyd_list_type": ("phải là một danh sách", "must be a list"),
    "pyd_dict_type": ("phải là một bảng (đối tượng)", "must be a table (an object)"),
    "pyd_date_from_datetime_parsing": ("phải là ngày (YYYY-MM-DD)", "must be a date (YYYY-MM-DD)"),
    "pyd_date_parsing": ("phải là ngày (YYYY-MM-DD)", "must be a date (YYYY-MM-DD)"),
    "pyd_value_error": ("giá trị không hợp lệ", "invalid value"),
    "cat_no_direction": ("chỉ tiêu chưa có chiều mong muốn (direction)", "the indicator has no direction"),
    "cat_no_english": ("chưa có tên tiếng Anh ({field})", "no English title ({field})"),
    "catalogue_warnings": ("{n} cảnh báo (danh mục vẫn dùng được; chỗ chưa có tên tiếng Anh, các bản tiếng Anh "
                           "dùng tên tiếng Việt):", "{n} warning{n:s} (the catalogue can be used; where there is no "
                           "English title, English outputs show the Vietnamese one):"),
    "cat_aim_unparsed": ("lộ trình nêu mục tiêu «{text}» nhưng chưa được đọc thành số (aim)",
                         "the roadmap states a target (\"{text}\") that is not parsed into an aim"),
    # the one way a count of indicators is said (sdgxl.catalogue.views.IndicatorCount)
    "n_indicators": ("{n} chỉ tiêu", "{n} indicator{n:s}"),
    "n_indicators_rows": ("{n} chỉ tiêu ({rows} dòng số liệu, kể cả chỉ tiêu thành phần)",
                          "{n} indicator{n:s} ({rows} data row{rows:s}, components included)"),
    # why an agency is on the list to chase (sdgxl.consolidate.AgencyStatus.reason)
    "chase_none_sent": ("Chưa gửi báo cáo", "No return received"),
    "chase_unreadable": ("Tệp gửi không đọc được", "The file sent cannot be read"),
    "chase_wrong_year": ("Gửi nhầm biểu mẫu năm {year}", "Sent the {year} form instead"),
    "chase_missing": ("Còn {missing}/{expected} chỉ tiêu thiếu hoặc có lỗi",
                      "{missing} of {expected} indicator{expected:s} missing or with errors"),
    "chase_held": ("Lần gửi sau có {n} giá trị lỗi (đang giữ giá trị hợp lệ đã gửi trước)",
                   "A later file has {n} value{n:s} with errors (the earlier valid ones kept)"),
    "chase_narratives": ("Chưa báo cáo kết quả {n}/{of} mục tiêu chủ trì",
                         "No narrative on {n} of {of} target{of:s} led"),
    "chase_late": ("Nộp muộn", "Late"),
    "chase_complete": ("Đầy đủ", "Complete"),
    # words inside issue messages (parameters of the checks, see sdgxl.validate.checks)
    "why_ole2": ("OLE2 (tài liệu Word/Office 97-2003 khác?)", "OLE2 (Word/other Office 97-2003 document?)"),
    "why_empty": ("tệp rỗng (0 byte)", "empty file (0 bytes)"),
    "why_not_zip": ("{suffix}, {what}", "{suffix}, {what}"),
    "no_suffix": ("không có đuôi", "no extension"),
    "text_other": ("văn bản/khác", "text/other"),
    "why_file_size": ("{mib} MiB", "{mib} MiB"),
    "why_part_size": ("{part}: {mib} MiB", "{part}: {mib} MiB"),
    "why_zip_entries": ("{n} phần trong tệp zip", "{n} parts in the zip file"),
    "why_zip_total": ("{mib} MiB sau giải nén", "{mib} MiB uncompressed"),
    "why_zip_ratio": ("{part}: tỉ lệ nén {ratio}:1", "{part}: compression ratio {ratio}:1"),
    "why_not_regular": ("không phải tệp thông thường (FIFO, thiết bị, thư mục); tệp không được mở",
                        "not a regular file (a FIFO, a device, a folder); it was not opened"),
    "why_duplicate_part": ("zip: hai phần trùng tên", "zip: two parts of the same name"),
    "why_sheet_part": ("sheet \"{sheet}\": không tìm thấy phần XML", "sheet \"{sheet}\": its XML part is missing"),
    "why_memory": ("vượt giới hạn bộ nhớ", "over the memory limit"),
    "why_sheet_size": ("sheet \"{sheet}\": {rows} × {cols}", "sheet \"{sheet}\": {rows} × {cols}"),
    "maybe_agency": (" – có thể của {name} ({id})", " – perhaps from {id}"),
    "field_value": ("{field} \"{value}\"", "{field} \"{value}\""),
    "form_id_mismatch": ("form_id \"{found}\" ≠ {expected}", "form_id \"{found}\" ≠ {expected}"),
    "previous_value": ("{year}: {value}", "{year}: {value}"),
    # table headers
    "h_code": ("Mã", "Code"),
    "h_indicator": ("Chỉ tiêu", "Indicator"),
    "h_unit": ("Đơn vị tính", "Unit"),
    "h_kind": ("Loại", "Kind"),
    "h_agencies": ("Cơ quan báo cáo", "Reporting agencies"),
    "h_id": ("Mã", "Id"),
    "h_name": ("Tên", "Name"),
    "h_short": ("Tên ngắn", "Short name"),
    "h_count": ("Số chỉ tiêu", "Indicators"),
    "h_codes": ("Chỉ tiêu", "Indicator codes"),
    "h_took_over": ("Nhận từ", "Took over from"),
    "h_leads": ("Chủ trì mục tiêu", "Leads targets"),
    "h_file": ("Tệp", "File"),
    "h_agency": ("Cơ quan", "Agency"),
    "h_rows": ("Số dòng số liệu", "Data rows"),
    "h_name_short": ("Tên", "Name"),
    "h_rows_short": ("Số dòng số liệu", "Data rows"),
    "h_status": ("Trạng thái", "Status"),
    "h_errors": ("Lỗi", "Errors"),
    "h_warnings": ("Cảnh báo", "Warnings"),
    "h_feedback": ("Phản hồi", "Feedback"),
    "h_severity": ("Mức", "Severity"),
    "h_where": ("Vị trí", "Where"),
    "h_check": ("Kiểm tra", "Check"),
    "h_message": ("Nội dung", "Message"),
    "h_year": ("Năm", "Year"),
    "h_expected": ("Số chỉ tiêu phải báo cáo", "Indicators expected"),
    "h_received": ("Đã báo cáo", "Received"),
    "h_valid": ("Hợp lệ", "Valid"),
    "h_files": ("Số lần gửi", "Files"),
    "h_result": ("Kết quả", "Result"),
    "h_assessment": ("Đánh giá", "Status"),
    "h_indicators": ("Số chỉ tiêu", "Indicators"),
    "h_base": ("Cơ sở", "Base"),
    "h_total": ("Tổng", "Total"),
    "h_latest": ("Mới nhất", "Latest"),
    "h_target": ("Mục tiêu", "Target"),
    "h_measured": ("Căn cứ đánh giá", "Measured against"),
    "h_consolidated": ("Bảng tổng hợp", "Consolidated table"),
    # summaries of validate and collect (sdgxl.outputs.summary: the CLI and the console)
    "sev_error": ("Lỗi", "Error"),
    "sev_warning": ("Cảnh báo", "Warning"),
    "file_valid": ("HỢP LỆ", "VALID"),
    "file_invalid": ("CÓ LỖI", "ERRORS"),
    "n_more_errors": ("{n} lỗi", "{n} more error{n:s}"),
    "n_more_warnings": ("{n} cảnh báo", "{n} more warning{n:s}"),
    # the reply draft (sdgxl.outputs.reply)
    "reply_subject": ("báo cáo SDG", "SDG return"),
    "reply_nobody": ("Quý cơ quan", "Sir or Madam"),
    "reply_dear": ("Kính gửi {who},", "Dear {who},"),
    "reply_received": ("Sở đã nhận báo cáo SDG Quý cơ quan gửi. Kết quả kiểm tra tự động:",
                       "We received your SDG return. The automatic check found:"),
    "reply_other_agency": ("Tệp này là biểu mẫu của {other} nhưng được gửi từ địa chỉ {to}, địa chỉ đã đăng ký của "
                           "Quý cơ quan: đề nghị Quý cơ quan gửi biểu mẫu của mình, và cơ quan kia gửi biểu mẫu từ "
                           "địa chỉ của cơ quan đó.",
                           "This file is the form of {other} but it was sent from {to}, the address registered to "
                           "you: please send your own form, and let that agency send its form from its own address."),
    "reply_skipped": ("Tệp đính kèm không phải biểu mẫu (không được đọc): {names}",
                      "Attachments that are not a form (not read): {names}"),
    "reply_no_form": ("Thư không có tệp biểu mẫu (.xlsx) đính kèm; đề nghị gửi lại biểu mẫu đã điền.",
                      "The message has no form (.xlsx) attached; please send the filled form."),
    "reply_other_year": ("Tệp gửi là biểu mẫu của năm khác: đề nghị dùng biểu mẫu đúng năm gửi kèm (số liệu trùng mã "
                         "chỉ tiêu đã được chuyển sang, tô màu xanh để Quý cơ quan xác nhận).",
                         "The file sent is another year's form: please use the form of the right year attached "
                         "(the values whose codes match are carried over, shaded blue for you to confirm)."),
    "reply_warnings_only": ("Biểu mẫu không có lỗi, chỉ có cảnh báo (nêu trên): Sở đã ghi nhận số liệu, không cần gửi "
                            "lại tệp; đề nghị Quý cơ quan xem lại các ô được cảnh báo và chỉ gửi lại nếu số liệu cần "
                            "sửa.",
                            "The form has no errors, only the warnings above: its values are recorded and there is "
                            "no need to send it again; please look at the cells warned about and send it again only "
                            "if a value needs correcting."),
    "reply_correct": ("Tệp phản hồi đính kèm đánh dấu từng ô cần xem lại. Đề nghị sửa các lỗi ngay trên biểu mẫu "
                      "đã gửi và gửi lại tệp.",
                      "The attached feedback copy marks every cell to look at. Please correct the errors in the form "
                      "you sent and send it again."),
    "reply_regards": ("Trân trọng.", "Kind regards."),
    "reply_more": ("… và {what} khác (xem tệp phản hồi đính kèm).", "… and {what} (see the attached feedback copy)."),
    "n_errors_warnings": ("{errors} lỗi, {warnings} cảnh báo",
                          "{errors} error{errors:s}, {warnings} warning{warnings:s}"),
    "validate_total": ("Tổng cộng: {n} tệp, {ok} hợp lệ, {bad} có lỗi.",
                       "Total: {n} file{n:s}, {ok} valid, {bad} with errors."),
    "check_valid": ("{file}: hợp lệ ({warnings} cảnh báo).", "{file}: valid ({warnings} warning{warnings:s})."),
    "check_invalid": ("{file}: {errors} lỗi, {warnings} cảnh báo.",
                      "{file}: {errors} error{errors:s}, {warnings} warning{warnings:s}."),
    "st_skipped": ("đã có, bỏ qua", "already in ledger, skipped"),
    "st_valid": ("hợp lệ", "valid"),
    "st_errors": ("có lỗi", "errors"),
    "inbox_empty": ("Không có tệp nào trong hộp thư{where}.", "No files in the inbox{where}."),
    "to_chase": ("Cần nhắc:", "To chase:"),
    "late_only": ("Nộp muộn nhưng đã đủ (không cần nhắc):", "Late but complete (nothing to chase):"),
    "out_ledger": ("Sổ theo dõi", "Ledger"),
    "out_consolidated": ("Bảng tổng hợp", "Consolidated workbook"),
    "out_csv": ("Dữ liệu (CSV)", "Data (CSV)"),
    "out_parquet": ("Dữ liệu (Parquet)", "Data (Parquet)"),
    "out_feedback": ("Phản hồi cho cơ quan", "Feedback to agencies"),
    "collect_done": ("Năm {year}: {new} tệp mới ({bad} có lỗi), {skipped} tệp đã có; {chase} cơ quan cần nhắc. "
                     "Bảng tổng hợp: {path}",
                     "{year}: {new} new file{new:s} ({bad} with errors), {skipped} already in the ledger; "
                     "{chase} agencies to chase. Consolidated table: {path}"),
    "checking": ("Kiểm tra", "Checking"),
    "returns_title": ("Tiến độ nộp báo cáo năm {year}", "Returns for {year}"),
    "returns_done": ("{done}/{n} cơ quan đã báo cáo đầy đủ (số liệu và kết quả thực hiện các mục tiêu chủ trì).",
                     "{done}/{n} agencies reported in full (values, and results on the targets they lead)."),
    "targets_done": ("{done}/{n} mục tiêu cụ thể đã có báo cáo kết quả của (các) cơ quan chủ trì.",
                     "{done}/{n} targets have the report on results of their lead agency or agencies."),
    "progress_title": ("Tiến độ năm {year}", "Progress, {year}"),
    "deteriorating": ("Đi xuống:", "Deteriorating:"),
    "and_more": ("… và {n} chỉ tiêu khác", "… and {n} more"),
    "target": ("mục tiêu", "target"),
    "no_pdf": ("Không có LibreOffice: chưa xuất PDF.", "No LibreOffice: no PDF written."),
    "demo_year": ("  • Năm {year}: đã tạo biểu mẫu, điền mẫu và tổng hợp",
                  "  • {year}: forms generated, filled and collected"),
    "demo_forms": ("Biểu mẫu năm {year}: {path} ({n} tệp)", "Forms for {year}: {path} ({n} files)"),
    "demo_document": ("Báo cáo năm {year} (văn bản hành chính): {path}",
                      "Report for {year} (administrative document): {path}"),
    "demo_inbox": ("Hộp thư năm {year}: {path}", "Inbox for {year}: {path}"),
    "demo_open_sdg": ("Dữ liệu cho trang Open SDG: {path}", "Open SDG data folder: {path}"),
    "demo_sdmx": ("SDMX-CSV: {path}", "SDMX-CSV: {path}"),
    "open_sdg_id_clash": ("Chỉ tiêu {first} và {second} cùng ra mã Open SDG {id}: đổi mã một chỉ tiêu trong danh mục",
                          "Indicators {first} and {second} both give the Open SDG id {id}: change one code in the "
                          "catalogue"),
    "publish_code_invalid": ("province.toml [publish] {setting} = '{value}': cần một mã không dấu, không khoảng trắng "
                             "(chữ, số, _, -)", "province.toml [publish] {setting} = '{value}': needs a code without "
                             "spaces or diacritics (letters, digits, _, -)"),
    "open_sdg_written": ("{files} tệp số liệu, {rows} dòng, {n} chỉ tiêu",
                         "{files} data files, {rows} rows, {n} indicators"),
    "open_sdg_stdout": ("--out - (đầu ra chuẩn) không dùng được với open-sdg: đó là một thư mục nhiều tệp; "
                        "hãy ghi tên thư mục, ví dụ --out open-sdg",
                        "--out - (standard output) cannot take open-sdg: it is a folder of files; name a folder, "
                        "e.g. --out open-sdg"),
    "sdmx_stdout_no_structure": ("Đã ghi SDMX-CSV ra đầu ra chuẩn; cấu trúc luồng dữ liệu của tỉnh (SDMX-ML) "
                                 "không được ghi: cần nó thì ghi --out vào một tệp",
                                 "SDMX-CSV written to standard output; the provincial dataflow's structure (SDMX-ML) "
                                 "is not written: give --out a file name to get it"),
    "sdmx_structure_written": ("Cấu trúc luồng dữ liệu của tỉnh (SDMX-ML 2.1): {path}",
                               "The provincial dataflow's structure (SDMX-ML 2.1): {path}"),
    "sdmx_written": ("{glob} quan sát theo chuỗi toàn cầu, {prov} theo luồng dữ liệu của tỉnh",
                     "{glob} observations in global series, {prov} in the provincial dataflow"),
    "consolidated_at": ("Bảng tổng hợp: {path} (cập nhật {when})", "Consolidated table: {path} (updated {when})"),
    "internal_error_short": ("Lỗi nội bộ của sdgxl ({kind}: {reason}).", "sdgxl internal error ({kind}: {reason})."),
    "late_title": ("Nộp muộn (hạn {deadline}):", "Late (deadline {deadline}):"),
    "late_line": ("{agency} – {name}: nhận lúc {when}, theo {source}",
                  "{agency} – {name}: received {when}, by {source}"),
    "late_unknown": ("Chưa rõ có muộn không (chỉ có thời điểm sdgxl thấy tệp, sau hạn): {agencies}",
                     "Not known whether late (only the time sdgxl first saw the file, after the deadline): "
                     "{agencies}"),
    "migrate_unreadable": ("{path} không đọc được như một biểu mẫu sdgxl: không chuyển được.",
                           "{path} cannot be read as an sdgxl form: nothing to migrate."),
    "migrate_nothing": ("{path}: không có cơ quan hay chỉ tiêu nào để chuyển sang biểu mẫu năm {year}.",
                        "{path}: no agency or indicator to carry into the {year} form."),
    "migrated": ("Biểu mẫu năm {year} của {agency}: {path} ({carried}/{rows} dòng số liệu chuyển từ năm {old}, tô "
                 "màu xanh để cơ quan xác nhận)",
                 "The {year} form of {agency}: {path} ({carried}/{rows} data rows carried from {old}, shaded "
                 "blue for the agency to confirm)"),
    "out_replies": ("Thư trả lời soạn sẵn (mở bằng chương trình thư để gửi)",
                    "Reply drafts (open in the mail client to send)"),
}


def default_lang() -> Lang:
    return "en" if os.environ.get("SDGXL_LANG", "vi").lower().startswith("en") else "vi"


def t(key: str, lang: str = "vi", **values: object) -> str:
    vi, en = MESSAGES[key]
    text = en if lang == "en" else vi
    return render(text, values, lang) if values else text


# --------------------------------------------------------------------------- numbers and dates
def number(value: float, lang: str = "vi") -> str:
    """A number as people of ``lang`` write it: up to 10 significant digits, thousands grouped
    (vi ``1.234,5``; en ``1,234.5``); whole floats without a fraction."""
    v = float(value)
    if not math.isfinite(v):
        return "∞" if v > 0 else "−∞" if v < 0 else "NaN"
    text = f"{v:,.10g}" if abs(v) >= 1000 else f"{v:.10g}"
    if "e" in text:  # beyond 10 digits: 1.5e+20 stays scientific
        text = f"{v:.10g}"
    if lang == "en":
        return text
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def date(value: _dt.date, lang: str = "vi") -> str:
    """A date: vi ``30/11/2026``, en ``2026-11-30`` (ISO 8601, unambiguous)."""
    return value.strftime("%d/%m/%Y") if lang != "en" else value.strftime("%Y-%m-%d")


def datetime(value: _dt.datetime, lang: str = "vi") -> str:
    """A date and time to the minute: vi ``30/11/2026 09:30``, en ``2026-11-30 09:30``."""
    return f"{date(value, lang)} {value.strftime('%H:%M')}"


# --------------------------------------------------------------------------- typed parameters
def show(value: Any, lang: str = "vi", spec: str = "") -> str:
    """One parameter as text in ``lang`` (see the module's table)."""
    if spec == "range":
        lo, hi = value
        return (f"{number(lo, lang) if lo is not None else '−∞'} – "
                f"{number(hi, lang) if hi is not None else '∞'}")
    if spec in ("or", "and"):
        return (" / " if spec == "or" else ", ").join(show(v, lang) for v in value)
    if spec == "when":  # a UTC ISO 8601 time, shown in Vietnam time
        when = _dt.datetime.fromisoformat(str(value)).astimezone(_dt.timezone(_dt.timedelta(hours=7)))
        return datetime(when, lang)
    if spec == "s":  # English plural ending of a count; Vietnamese nouns do not change
        return "s" if lang == "en" and value != 1 else ""
    if spec == "statuses":
        from sdgxl.resources import status_labels

        labels = status_labels(lang)
        return " / ".join(labels.get(str(code), str(code)) for code in value)
    if value is None:
        return ""
    if isinstance(value, float):
        return number(value, lang)
    if isinstance(value, dict):
        if "t" in value:
            return t(str(value["t"]), lang, **{k: v for k, v in value.items() if k != "t"})
        text = value.get("en") if lang == "en" else None
        return str(text if text is not None else value.get("vi", ""))
    return str(value)


class _Formatter(string.Formatter):
    def __init__(self, lang: str) -> None:
        self.lang = lang

    def get_value(self, key: int | str, args: Any, kwargs: Mapping[str, Any]) -> Any:
        return kwargs.get(str(key))  # a parameter not given renders empty

    def format_field(self, value: Any, format_spec: str) -> str:
        return show(value, self.lang, format_spec)


_FORMATTERS = {"vi": _Formatter("vi"), "en": _Formatter("en")}


def render(template: str, params: Mapping[str, Any], lang: str = "vi") -> str:
    """``template`` with its ``{fields}`` filled from ``params`` in ``lang``."""
    return _FORMATTERS["en" if lang == "en" else "vi"].vformat(template, (), params)


def fields(template: str) -> set[str]:
    """The parameter names a template uses."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
