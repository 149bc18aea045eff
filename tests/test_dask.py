"""The dask path gives the same frames as parse_many on the bundled corpus (a small local cluster)."""
from __future__ import annotations

import pandas as pd
import pytest
from conftest import DEGRADED, DEV, SEEDS, assert_frame_read

import gxtables
import gxtables.dask

pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")

ALL = [SEEDS, DEV, DEGRADED]


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def reference():
    corpus = gxtables.read_many(ALL, workers=2, progress=False)
    assert_frame_read(corpus.summary)  # equal frames of reports that broke prove nothing
    assert corpus.summary["cells"].sum() > 3000
    return corpus


@pytest.mark.parametrize("frame", ["cells", "wide"])
def test_dask_frames_equal_parse_many(client, reference, frame):
    lazy = gxtables.dask.read_reports(ALL, frame=frame, files_per_partition=16)
    assert lazy.npartitions == 5
    got = lazy.compute().reset_index(drop=True)
    pd.testing.assert_frame_equal(got, reference.frame(frame))


def test_dask_rejects_unknown_frames():
    with pytest.raises(ValueError):
        gxtables.dask.read_reports(ALL, frame="tables")
