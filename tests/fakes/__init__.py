"""Local fakes of published vendor APIs: real HTTP servers on loopback ports, used by tests."""
