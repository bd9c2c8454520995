"""Options for kombu's filesystem transport: the local broker that needs no server."""

from pathlib import Path


def filesystem_broker_options(folder: Path) -> dict:
    """Queue, processed and control folders under one folder. Without an explicit control
    folder kombu writes broadcast messages into the working directory."""
    return {
        "data_folder_in": str(folder / "queue"),
        "data_folder_out": str(folder / "queue"),
        "processed_folder": str(folder / "processed"),
        "control_folder": str(folder / "control"),
        "store_processed": False,
    }


def make_broker_folders(options: dict) -> None:
    """The filesystem transport needs its folders before the first message."""
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
