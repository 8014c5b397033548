"""Kept so that ``from sdgxl.demo.samples import fill_from_samples`` (the README's Python API)
goes on working; the code lives in :mod:`sdgxl.demo.samples`."""

from sdgxl.demo.samples import fill_from_samples, load_mistakes, sample_entries, sample_years

__all__ = ["fill_from_samples", "load_mistakes", "sample_entries", "sample_years"]
