"""The sandbox: student code runs only in confined worker processes that answer probes.

Worker side (the only course code the sandbox's read-only view shows, see `launcher.WORKER_SIDE`):
`view` builds the view without bubblewrap, `zygote` forks a `keeper` and a worker per request,
`confine` applies the protections named in `protections`, `worker` answers probes over `protocol`.
Judge side: `launcher` starts the zygote, `slots` leases each zygote its own sandbox uid, `student`
is the `student` fixture's sandboxed implementation (and refuses a worker that lacks a required
protection), `doctor` reports what this machine offers.
"""
