"""pyst: a Python toolkit for the Asterisk PBX.

Subpackages:

* :mod:`pyst.config` -- lossless, round-trip editing of Asterisk ``.conf`` files;
* :mod:`pyst.agi` -- AGI over stdio, FastAGI servers and a fake Asterisk for tests;
* :mod:`pyst.manager` -- an Asterisk Manager Interface (AMI) client.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
