"""The planning officer's console: an ``.xlsm`` with buttons that call sdgxl through xlwings.

``build`` writes the workbook (settings, buttons, results area, the VBA project built by
``vba`` from ``macros/*.bas``); ``xl`` holds the functions the buttons run on DPI's PC.
"""

from sdgxl.console.build import (
    BUTTONS,
    CONF_SHEET,
    MESSAGE_CELL,
    RESULTS_ROW,
    SETTINGS,
    SHEET,
    Button,
    build_console,
    console_vba_modules,
)

__all__ = [
    "BUTTONS",
    "CONF_SHEET",
    "MESSAGE_CELL",
    "RESULTS_ROW",
    "SETTINGS",
    "SHEET",
    "Button",
    "build_console",
    "console_vba_modules",
]
