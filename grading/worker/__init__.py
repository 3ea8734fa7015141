"""What runs beside student code, in its process: the worker's main, the trusted probes, the
integrity restore, the tripwires and the guards."""
