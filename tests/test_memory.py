"""The process-wide memory tuning of thaad._memory (performance only): a big array dropped
and allocated again reuses its pages instead of faulting every one in afresh."""

import platform
import resource

import numpy as np
import pytest


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_big_arrays_reuse_their_pages():
    import thaad.threads  # noqa: F401  (applies the tuning)

    def faults_of_a_fresh_array():
        before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        a = np.empty(64 << 17)  # 64 MiB: twice glibc's largest default mmap threshold
        a[:] = 1.0
        del a
        return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

    faults_of_a_fresh_array()
    # 16,384 4-KiB pages: a block mapped afresh faults on each (or compacts huge pages)
    assert faults_of_a_fresh_array() < 1000


def test_numpy_gives_no_huge_page_advice():
    import thaad.threads  # noqa: F401

    try:
        from numpy._core.multiarray import _get_madvise_hugepage
    except ImportError:
        pytest.skip("NumPy without the huge-page switch")
    assert _get_madvise_hugepage() is False
