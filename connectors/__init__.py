"""Department connectors: load the datasets of DATA-EXCHANGE.md into the graph.

    report = await ingest_file(store, "psb.persons", path, department, data_dir=data_dir)

One module per department family (`psb`, `amr`, `bank`, `nrb`, `court`) declares its
datasets; the shared pipeline (`pipeline`, `readers`, `fields`, `rejects`, `writer`,
`report`) does the rest. `connectors/README.md` says how to add a dataset.
"""

from __future__ import annotations

from connectors.county import load_county
from connectors.dataset import Dataset
from connectors.datasets import DATASETS
from connectors.pipeline import ingest_file
from connectors.readers import Format
from connectors.refused import FileRefused
from connectors.rejects import Reject
from connectors.report import RunReport, list_runs

__all__ = [
    "DATASETS",
    "Dataset",
    "FileRefused",
    "Format",
    "Reject",
    "RunReport",
    "ingest_file",
    "list_runs",
    "load_county",
]
