"""trondocs keeps a TRON node operator's disaster-recovery plan true."""

__version__ = "0.1.0"
