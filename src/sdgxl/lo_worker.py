"""A LibreOffice worker, run by the Python that has UNO (Debian: ``/usr/bin/python3``).

This file must stay importable without sdgxl's dependencies: it is executed as a plain
script by LibreOffice's Python. It reads one JSON job on stdin::

    {"soffice": "/usr/bin/soffice", "profile": "/tmp/x", "input": "in.xlsx",
     "output": "out.xlsx",           # optional: save as .xlsx, .ods or .xls (by extension)
     "pdf": "out.pdf",               # optional: export as PDF
     "read": [{"sheet": "Chỉ tiêu", "range": "N7:N20"}],  # optional: computed values, by input
     "batch": [{...}, {...}],        # optional: several such documents in one session
     "cells": [{"sheet": "Chỉ tiêu", "cell": "J7", "value": 9.78},
               {"sheet": "Chỉ tiêu", "cell": "K7", "string": "Có số liệu"},
               {"sheet": "Chỉ tiêu", "cell": "M7", "formula": "=1+1"},
               {"sheet": "Chỉ tiêu", "cell": "J8", "typed": "85%"}]}

and prints a JSON result on stdout: {"ok": true, "sheets": [...]} or {"ok": false, "error": ...}.
"""

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid


def _prop(name, value):
    import uno  # noqa: F401
    from com.sun.star.beans import PropertyValue

    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _url(path):
    import uno

    return uno.systemPathToFileUrl(os.path.abspath(path))


def _inspect(doc):
    """The document's Basic/VBA libraries and every form control with its bound macros."""
    libs = doc.BasicLibraries
    out = {"libraries": list(libs.getElementNames()), "modules": {}, "controls": []}
    for name in out["libraries"]:
        try:
            libs.loadLibrary(name)
            lib = libs.getByName(name)
            for module in lib.getElementNames():
                out["modules"][name + "." + module] = lib.getByName(module)
        except Exception as exc:
            out["modules"][name + ".<error>"] = str(exc)
    sheets = doc.getSheets()
    for si in range(sheets.getCount()):
        sheet = sheets.getByIndex(si)
        forms = sheet.getDrawPage().getForms()
        for fi in range(forms.getCount()):
            form = forms.getByIndex(fi)
            for ci in range(form.getCount()):
                ctrl = form.getByIndex(ci)
                events = [{"type": e.ScriptType, "code": e.ScriptCode, "method": e.EventMethod,
                           "listener": e.ListenerType} for e in form.getScriptEvents(ci)]
                label = getattr(ctrl, "Label", "")
                out["controls"].append({"sheet": sheet.getName(), "label": label, "events": events})
    return out


def _writer(doc, job):
    """A text document (the report .docx): its PDF, its page count and its text."""
    if job.get("pdf"):
        doc.storeToURL(_url(job["pdf"]), (_prop("FilterName", "writer_pdf_Export"),))
    return {"ok": True, "sheets": [], "pages": doc.getCurrentController().getPropertyValue("PageCount"),
            "text": doc.getText().getString()[:200000]}


def _document(uno, desktop, job):
    """Open one document, type its cells, recalculate, save / export, close."""
    doc = desktop.loadComponentFromURL(_url(job["input"]), "_blank", 0, (_prop("Hidden", True),))
    if doc is None:
        return {"ok": False, "error": "LibreOffice could not open " + job["input"]}
    if not hasattr(doc, "getSheets"):  # a text document (the report .docx)
        try:
            return _writer(doc, job)
        finally:
            doc.close(True)
    try:
        sheets = doc.getSheets()
        for c in job.get("cells", []):
            cell = sheets.getByName(c["sheet"]).getCellRangeByName(c["cell"])
            if "typed_local" in c:  # typed in the UI: parsed with the profile's locale (85,5 in vi-VN)
                cell.setPropertyValue("FormulaLocal", c["typed_local"])
            elif "typed" in c:  # as if typed: LibreOffice parses it (85% → 0.85 with a % format)
                cell.setFormula(c["typed"])
            elif "formula" in c:
                cell.setFormula(c["formula"])
            elif "string" in c:
                cell.setString(c["string"])
            elif "value" in c:
                cell.setValue(float(c["value"]))
            if c.get("percent_format"):  # what the UI does when "85%" is typed
                kind = uno.getConstantByName("com.sun.star.util.NumberFormat.PERCENT")
                locale = uno.createUnoStruct("com.sun.star.lang.Locale")
                cell.NumberFormat = doc.getNumberFormats().getStandardFormat(kind, locale)
        if job.get("print_controls"):  # buttons print too (for screenshots of a console)
            for si in range(sheets.getCount()):
                page = sheets.getByIndex(si).getDrawPage()
                for k in range(page.getCount()):
                    shape = page.getByIndex(k)
                    try:
                        shape.Printable = True
                        shape.getControl().Printable = True
                    except Exception:
                        pass
        doc.calculateAll()
        if job.get("output"):
            ext = os.path.splitext(job["output"])[1].lower()
            filt = {".ods": "calc8", ".xls": "MS Excel 97"}.get(ext, "Calc MS Excel 2007 XML")
            doc.storeToURL(_url(job["output"]), (_prop("FilterName", filt),))
        if job.get("pdf"):
            doc.storeToURL(_url(job["pdf"]), (_prop("FilterName", "calc_pdf_Export"),))
        names = list(sheets.getElementNames())
        read = {}
        for r in job.get("read", []):  # computed cells, as LibreOffice shows them
            rng = sheets.getByName(r["sheet"]).getCellRangeByName(r["range"])
            read[r["sheet"] + "!" + r["range"]] = [list(row) for row in rng.getDataArray()]
        inspected = _inspect(doc) if job.get("inspect") else None
    finally:
        doc.close(True)
    result = {"ok": True, "sheets": names}
    if read:
        result.setdefault("read", {})[job["input"]] = read
    if inspected is not None:
        result.update(inspected)
    return result


def _set_locale(profile, locale):
    """A fresh profile whose locale setting is ``locale`` (what Tools › Options › Language
    Settings › Locale setting writes), so LibreOffice reads typed numbers as that computer would."""
    user = os.path.join(profile, "user")
    os.makedirs(user, exist_ok=True)
    with open(os.path.join(user, "registrymodifications.xcu"), "w", encoding="utf-8") as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                 '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                 'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                 '<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse">'
                 "<value>" + locale + "</value></prop></item>\n"
                 '<item oor:path="/org.openoffice.Office.Linguistic/General"><prop oor:name="DefaultLocale" '
                 'oor:op="fuse"><value>' + locale + "</value></prop></item>\n"
                 "</oor:items>\n")


def run(job):
    import uno
    from com.sun.star.connection import NoConnectException

    pipe = "sdgxl" + uuid.uuid4().hex[:12]
    profile = job.get("profile") or tempfile.mkdtemp(prefix="sdgxl-lo-")
    if job.get("locale"):  # the computer's settings (vi-VN, en-US): number input, decimal separator
        _set_locale(profile, job["locale"])
    cmd = [job.get("soffice", "soffice"), "--headless", "--invisible", "--nologo", "--norestore",
           "--nodefault", "--nolockcheck", "-env:UserInstallation=" + _url(profile),
           "--accept=pipe,name=" + pipe + ";urp;StarOffice.ComponentContext"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(300):
            try:
                ctx = resolver.resolve("uno:pipe,name=" + pipe + ";urp;StarOffice.ComponentContext")
                break
            except NoConnectException:
                if proc.poll() is not None:
                    return {"ok": False, "error": f"soffice exited with {proc.returncode}"}
                time.sleep(0.1)
        if ctx is None:
            return {"ok": False, "error": "could not connect to soffice"}
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        result = {"ok": True}
        for one in job.get("batch") or [job]:  # several documents in one LibreOffice session
            done = _document(uno, desktop, one)
            if not done.get("ok"):
                return done
            read = {**result.get("read", {}), **done.pop("read", {})}
            result.update(done)
            if read:
                result["read"] = read
        with contextlib.suppress(Exception):
            desktop.terminate()
        return result
    finally:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    job = json.loads(sys.stdin.read())
    try:
        result = run(job)
    except Exception as exc:  # report, do not crash: the caller reads JSON
        result = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    sys.stdout.write(json.dumps(result))
    return 0 if result.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
