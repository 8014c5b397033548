"""Kept for consoles built by sdgxl 0.1, whose buttons run ``import sdgxl.xl; sdgxl.xl.collect()``;
the code lives in :mod:`sdgxl.console.xl`."""

from sdgxl.console.xl import check_file, collect, generate, open_consolidated

__all__ = ["check_file", "collect", "generate", "open_consolidated"]
