"""sdgxl: a Vietnamese province's annual SDG reporting cycle in Excel.

Data flows one way: catalogue → forms → ingest → validate → ledger → outputs.

>>> import sdgxl
>>> cat = sdgxl.load_catalogue()          # the bundled Kiên Giang 2018 plan
>>> len(cat.targets)
110
"""

from sdgxl.catalogue import Catalogue, bundled, load_catalogue

__version__ = "0.1.0"  # the one place the version is written (pyproject reads it)

__all__ = ["Catalogue", "__version__", "bundled", "load_catalogue"]
