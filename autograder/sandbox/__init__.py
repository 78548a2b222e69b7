"""The sandbox: student code runs only in confined worker processes that answer probes.

Worker side (copied into the sandbox's read-only view, see `bundle`): `protocol`, `confine`,
`worker`, `zygote`. Judge side: `launcher` starts the zygote under bubblewrap, `student` is the
`student` fixture's sandboxed implementation, `doctor` reports which protections are active.
"""
