"""The demo: the whole cycle on the bundled plan and the sample returns in ``samples/``.

``run`` drives it, ``samples`` reads the sample values and the typical mistakes, ``fill``
writes values into a generated form the way an agency would.
"""

from sdgxl.demo.run import DemoResult, run_demo

__all__ = ["DemoResult", "run_demo"]
