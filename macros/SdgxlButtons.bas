Attribute VB_Name = "SdgxlButtons"
' sdgxl console: one small Sub per button. Each runs Python through the xlwings add-in
' (installed once on DPI's PC with:  pip install "sdgxl[xl]"  then  xlwings addin install).
' The add-in reads the settings of the "xlwings.conf" sheet of this workbook (the Python
' interpreter to use) and runs the sdgxl.console.xl function, which reads and writes this sheet.
' This file is ASCII only: the texts the officer sees come from Python, in Vietnamese.
Option Explicit

Private Sub RunSdgxl(ByVal functionName As String)
    On Error GoTo NoAddin
    Application.Run "xlwings.xlam!RunPython", "import sdgxl.console.xl; sdgxl.console.xl." & functionName & "()"
    Exit Sub
NoAddin:
    MsgBox "Khong goi duoc Python qua xlwings add-in (" & Err.Description & ")." & vbCrLf & _
           "Hay cai dat: pip install ""sdgxl[xl]"" roi xlwings addin install." & vbCrLf & vbCrLf & _
           "Could not run Python through the xlwings add-in. Install it with:" & vbCrLf & _
           "pip install ""sdgxl[xl]"" then xlwings addin install", vbExclamation, "sdgxl"
End Sub

Public Sub TaoBieuMau()
    RunSdgxl "generate"
End Sub

Public Sub TongHop()
    RunSdgxl "collect"
End Sub

Public Sub KiemTraTep()
    RunSdgxl "check_file"
End Sub

Public Sub MoBangTongHop()
    RunSdgxl "open_consolidated"
End Sub
