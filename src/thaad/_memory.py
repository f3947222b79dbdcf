"""How the process gets memory for big arrays (performance only; results are unchanged).

Monte Carlo footprints allocate and drop ~180 MB of fresh samples per 10,000 aimed
trajectories, chunk after chunk.  Two defaults of a Linux process make every such array
cost its page faults again (issue 9, measured on 2 cores, 30,000 aimed trajectories):

* NumPy advises the kernel to back large arrays with transparent huge pages
  (``madvise(MADV_HUGEPAGE)``).  Where the kernel's huge-page defragmentation is
  ``madvise`` (the common default), a first touch can stall in memory compaction: 4.3 s of
  system time instead of 1.3 s.  NumPy's own switch, ``NUMPY_MADVISE_HUGEPAGE=0``, is read
  only when NumPy is first imported, hence its setter.
* glibc's ``malloc`` maps every block over 32 MB afresh and unmaps it when freed, so each
  new array faults in (and has zeroed) every page: 166,000 minor faults and 0.77 s of
  system time, 0.19 s with big blocks kept in the heap (``mallopt``: mmap and trim
  thresholds of 1 GiB; freed memory is reused, at most 1 GiB of it kept unused).  All
  threads allocate from that one heap (one arena): a thread's own arena grows in 64 MB
  heaps and maps bigger blocks afresh, and Monte Carlo chunks run in threads.

Applied once, when the compiled kernels first run (:mod:`thaad.threads` imports this module);
skipped where the C library or NumPy lacks them.
"""

from __future__ import annotations

import ctypes

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8  # glibc's mallopt parameters (malloc.h)
KEEP_BYTES = 1 << 30


def _no_hugepage_advice() -> None:
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:  # NumPy 1.x
        try:
            from numpy.core.multiarray import _set_madvise_hugepage
        except ImportError:
            return
    _set_madvise_hugepage(False)


def _keep_freed_memory() -> None:
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own C library: glibc only (musl and macOS have none)
    except (OSError, AttributeError, TypeError):
        return
    mallopt(M_MMAP_THRESHOLD, KEEP_BYTES)
    mallopt(M_TRIM_THRESHOLD, KEEP_BYTES)
    mallopt(M_ARENA_MAX, 1)  # threads share the main heap: another arena maps big blocks afresh (64 MB heaps)


_no_hugepage_advice()
_keep_freed_memory()
