"""Column names of IoTID20 and the rule that maps other spellings onto them.

IoTID20 is released as one CSV whose 86 columns are named in CICFlowMeter's
short style with underscores (``Flow_Duration``, ``Flow_Byts/s``). Copies found
elsewhere rename them: CICFlowMeter's Java tool writes ``Flow Duration`` and
long names such as ``Total Length of Fwd Packets``, its Python port writes
``flow_duration`` and ``flow_byts_s``, and files that went through a spreadsheet
gain stray spaces. `canonical_name` brings all of them back to the release
names, so the rest of the package only ever sees those.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = [
    "ALIASES",
    "FEATURES",
    "IDENTIFIERS",
    "LABELS",
    "OFFICIAL_COLUMNS",
    "PAPER_FEATURES",
    "SYNTHETIC_MARK",
    "canonical_name",
    "first_repeat",
    "fold_name",
    "strip_name",
]

#: Columns that name a flow rather than describe it: never used as features,
#: ignored when looking for duplicate rows.
IDENTIFIERS: tuple[str, ...] = (
    "Flow_ID",
    "Src_IP",
    "Src_Port",
    "Dst_IP",
    "Dst_Port",
    "Timestamp",
)

#: Start of every ``Flow_ID`` that `mirai_gmm.synthetic` writes. A synthetic
#: file is known as such however it is renamed or converted, and a person who
#: opens it sees it at once.
SYNTHETIC_MARK = "synthetic-"

#: Ground-truth columns: ``Label`` is Normal/Anomaly, ``Cat`` the attack family
#: (Normal, Mirai, DoS, Scan, MITM ARP Spoofing), ``Sub_Cat`` the attack itself.
LABELS: tuple[str, ...] = ("Label", "Cat", "Sub_Cat")

#: The 86 columns of ``IoT Network Intrusion Dataset.csv``, in release order,
#: spelled exactly as in its header.
OFFICIAL_COLUMNS: tuple[str, ...] = (
    "Flow_ID",
    "Src_IP",
    "Src_Port",
    "Dst_IP",
    "Dst_Port",
    "Protocol",
    "Timestamp",
    "Flow_Duration",
    "Tot_Fwd_Pkts",
    "Tot_Bwd_Pkts",
    "TotLen_Fwd_Pkts",
    "TotLen_Bwd_Pkts",
    "Fwd_Pkt_Len_Max",
    "Fwd_Pkt_Len_Min",
    "Fwd_Pkt_Len_Mean",
    "Fwd_Pkt_Len_Std",
    "Bwd_Pkt_Len_Max",
    "Bwd_Pkt_Len_Min",
    "Bwd_Pkt_Len_Mean",
    "Bwd_Pkt_Len_Std",
    "Flow_Byts/s",
    "Flow_Pkts/s",
    "Flow_IAT_Mean",
    "Flow_IAT_Std",
    "Flow_IAT_Max",
    "Flow_IAT_Min",
    "Fwd_IAT_Tot",
    "Fwd_IAT_Mean",
    "Fwd_IAT_Std",
    "Fwd_IAT_Max",
    "Fwd_IAT_Min",
    "Bwd_IAT_Tot",
    "Bwd_IAT_Mean",
    "Bwd_IAT_Std",
    "Bwd_IAT_Max",
    "Bwd_IAT_Min",
    "Fwd_PSH_Flags",
    "Bwd_PSH_Flags",
    "Fwd_URG_Flags",
    "Bwd_URG_Flags",
    "Fwd_Header_Len",
    "Bwd_Header_Len",
    "Fwd_Pkts/s",
    "Bwd_Pkts/s",
    "Pkt_Len_Min",
    "Pkt_Len_Max",
    "Pkt_Len_Mean",
    "Pkt_Len_Std",
    "Pkt_Len_Var",
    "FIN_Flag_Cnt",
    "SYN_Flag_Cnt",
    "RST_Flag_Cnt",
    "PSH_Flag_Cnt",
    "ACK_Flag_Cnt",
    "URG_Flag_Cnt",
    "CWE_Flag_Count",
    "ECE_Flag_Cnt",
    "Down/Up_Ratio",
    "Pkt_Size_Avg",
    "Fwd_Seg_Size_Avg",
    "Bwd_Seg_Size_Avg",
    "Fwd_Byts/b_Avg",
    "Fwd_Pkts/b_Avg",
    "Fwd_Blk_Rate_Avg",
    "Bwd_Byts/b_Avg",
    "Bwd_Pkts/b_Avg",
    "Bwd_Blk_Rate_Avg",
    "Subflow_Fwd_Pkts",
    "Subflow_Fwd_Byts",
    "Subflow_Bwd_Pkts",
    "Subflow_Bwd_Byts",
    "Init_Fwd_Win_Byts",
    "Init_Bwd_Win_Byts",
    "Fwd_Act_Data_Pkts",
    "Fwd_Seg_Size_Min",
    "Active_Mean",
    "Active_Std",
    "Active_Max",
    "Active_Min",
    "Idle_Mean",
    "Idle_Std",
    "Idle_Max",
    "Idle_Min",
    "Label",
    "Cat",
    "Sub_Cat",
)

#: The 77 release columns that describe a flow numerically (``Protocol``
#: included: it is a number, 6 or 17 or 0, and the paper does not exclude it).
FEATURES: tuple[str, ...] = tuple(
    name for name in OFFICIAL_COLUMNS if name not in IDENTIFIERS + LABELS
)

#: The nine features the paper keeps (its Table I), in the paper's order.
PAPER_FEATURES: tuple[str, ...] = (
    "Flow_Duration",
    "Fwd_IAT_Std",
    "Fwd_IAT_Mean",
    "Fwd_IAT_Tot",
    "Flow_IAT_Mean",
    "Flow_IAT_Std",
    "Bwd_IAT_Mean",
    "Bwd_IAT_Std",
    "Fwd_Header_Len",
)

#: CICFlowMeter spellings whose folded form differs from the release name's
#: folded form. Keys are as CICFlowMeter (the Java tool behind CIC-IDS2017)
#: writes them; `fold_name` is applied to them before lookup, so case and
#: spacing here do not matter. Names that differ from a release name only by
#: case, spaces, underscores or slashes (``Flow IAT Mean``, ``Tot Fwd Pkts``,
#: ``flow_byts_s``) need no entry.
ALIASES: dict[str, str] = {
    "Source IP": "Src_IP",
    "Source Port": "Src_Port",
    "Destination IP": "Dst_IP",
    "Destination Port": "Dst_Port",
    "Total Fwd Packets": "Tot_Fwd_Pkts",
    "Total Backward Packets": "Tot_Bwd_Pkts",
    "Total Length of Fwd Packets": "TotLen_Fwd_Pkts",
    "Total Length of Bwd Packets": "TotLen_Bwd_Pkts",
    "Fwd Packet Length Max": "Fwd_Pkt_Len_Max",
    "Fwd Packet Length Min": "Fwd_Pkt_Len_Min",
    "Fwd Packet Length Mean": "Fwd_Pkt_Len_Mean",
    "Fwd Packet Length Std": "Fwd_Pkt_Len_Std",
    "Bwd Packet Length Max": "Bwd_Pkt_Len_Max",
    "Bwd Packet Length Min": "Bwd_Pkt_Len_Min",
    "Bwd Packet Length Mean": "Bwd_Pkt_Len_Mean",
    "Bwd Packet Length Std": "Bwd_Pkt_Len_Std",
    "Flow Bytes/s": "Flow_Byts/s",
    "Flow Packets/s": "Flow_Pkts/s",
    "Fwd IAT Total": "Fwd_IAT_Tot",
    "Bwd IAT Total": "Bwd_IAT_Tot",
    "Fwd Header Length": "Fwd_Header_Len",
    "Bwd Header Length": "Bwd_Header_Len",
    "Fwd Packets/s": "Fwd_Pkts/s",
    "Bwd Packets/s": "Bwd_Pkts/s",
    "Min Packet Length": "Pkt_Len_Min",
    "Max Packet Length": "Pkt_Len_Max",
    "Packet Length Mean": "Pkt_Len_Mean",
    "Packet Length Std": "Pkt_Len_Std",
    "Packet Length Variance": "Pkt_Len_Var",
    "FIN Flag Count": "FIN_Flag_Cnt",
    "SYN Flag Count": "SYN_Flag_Cnt",
    "RST Flag Count": "RST_Flag_Cnt",
    "PSH Flag Count": "PSH_Flag_Cnt",
    "ACK Flag Count": "ACK_Flag_Cnt",
    "URG Flag Count": "URG_Flag_Cnt",
    "ECE Flag Count": "ECE_Flag_Cnt",
    "Average Packet Size": "Pkt_Size_Avg",
    "Avg Fwd Segment Size": "Fwd_Seg_Size_Avg",
    "Avg Bwd Segment Size": "Bwd_Seg_Size_Avg",
    "Fwd Avg Bytes/Bulk": "Fwd_Byts/b_Avg",
    "Fwd Avg Packets/Bulk": "Fwd_Pkts/b_Avg",
    "Fwd Avg Bulk Rate": "Fwd_Blk_Rate_Avg",
    "Bwd Avg Bytes/Bulk": "Bwd_Byts/b_Avg",
    "Bwd Avg Packets/Bulk": "Bwd_Pkts/b_Avg",
    "Bwd Avg Bulk Rate": "Bwd_Blk_Rate_Avg",
    "Subflow Fwd Packets": "Subflow_Fwd_Pkts",
    "Subflow Fwd Bytes": "Subflow_Fwd_Byts",
    "Subflow Bwd Packets": "Subflow_Bwd_Pkts",
    "Subflow Bwd Bytes": "Subflow_Bwd_Byts",
    "Init_Win_bytes_forward": "Init_Fwd_Win_Byts",
    "Init_Win_bytes_backward": "Init_Bwd_Win_Byts",
    "act_data_pkt_fwd": "Fwd_Act_Data_Pkts",
    "min_seg_size_forward": "Fwd_Seg_Size_Min",
}

# Surrounding whitespace and byte-order marks (a BOM survives when a file is
# decoded as plain UTF-8) are never part of a name.
_EDGES = re.compile(r"^[\s\ufeff]+|[\s\ufeff]+$")
# Whitespace (any run, anywhere), underscores and slashes carry no meaning
# across the spellings in circulation: 'Flow_Byts/s' and 'flow_byts_s' are the
# same column.
_SEPARATORS = re.compile(r"[\s_/]+")


def strip_name(raw: str) -> str:
    """Return `raw` without surrounding whitespace and byte-order marks."""
    return _EDGES.sub("", str(raw))


def fold_name(raw: str) -> str:
    """Return the lookup key of a column name.

    Parameters
    ----------
    raw : str
        A column name as found in a file header.

    Returns
    -------
    str
        `raw` without surrounding byte-order marks, without whitespace,
        underscores and slashes, and case-folded: ``' Flow Byts/s'`` ->
        ``'flowbytss'``.
    """
    return _SEPARATORS.sub("", strip_name(raw)).casefold()


_LOOKUP: dict[str, str] = {fold_name(name): name for name in OFFICIAL_COLUMNS}
_LOOKUP.update({fold_name(alias): name for alias, name in ALIASES.items()})


def first_repeat(names: Iterable[str]) -> tuple[str, str] | None:
    """The first two of `names` that are one release column, else None.

    ``'Flow Duration'`` and ``'Flow_Duration'`` are one column: a list that
    holds both would count one feature twice.

    Examples
    --------
    >>> first_repeat(["Flow_Duration", "Fwd_IAT_Tot", "flow duration"])
    ('Flow_Duration', 'flow duration')
    >>> first_repeat(["Flow_Duration", "Fwd_IAT_Tot"]) is None
    True
    """
    seen: dict[str, str] = {}
    for name in names:
        canonical = canonical_name(name)
        if canonical in seen:
            return seen[canonical], name
        seen[canonical] = name
    return None


def canonical_name(raw: str) -> str:
    """Return the IoTID20 release name of a column, or `raw` stripped if unknown.

    The rule: fold `raw` with `fold_name` (drop a byte-order mark, drop
    whitespace, underscores and slashes, case-fold), then look the key up among
    the folded release names (`OFFICIAL_COLUMNS`) and, failing that, among the
    folded CICFlowMeter long names of `ALIASES`. A name found in neither is
    returned with surrounding whitespace (and a byte-order mark) removed and
    otherwise unchanged.

    Parameters
    ----------
    raw : str
        A column name as found in a file header.

    Returns
    -------
    str
        The release name, e.g. ``'Flow_Duration'``.

    Examples
    --------
    >>> canonical_name(" Flow Duration")
    'Flow_Duration'
    >>> canonical_name("Total Length of Fwd Packets")
    'TotLen_Fwd_Pkts'
    >>> canonical_name("flow_byts_s")
    'Flow_Byts/s'
    >>> canonical_name(" my column ")
    'my column'
    """
    found = _LOOKUP.get(fold_name(raw))
    if found is not None:
        return found
    return strip_name(raw)
