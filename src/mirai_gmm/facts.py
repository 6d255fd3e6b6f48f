"""Published IoTID20 figures and the paper's reported results, written into code.

Every block below names the file or document it was taken from. The figures are
typed in rather than read at run time so that the package works without the
shared data folder, and so that a change to them shows up in review. Tests
compare them against the source files when those files are present.

Sources
-------
class_counts_full.csv
    Rows per ``Label``, ``Cat`` and ``Sub_Cat`` in the official release
    (``IoT Network Intrusion Dataset.csv``, 625,783 rows, 86 columns).
describe_full_all_classes.csv
    pandas ``describe()`` of every numeric column of the full release, all
    classes pooled.
describe_1pct_by_label.csv
    pandas ``describe()`` of the public 1 % sample (6,252 rows, 32 of the 86
    columns), split into ``Label`` 0 (Normal, 361 rows) and 1 (Anomaly, 5,891
    rows). The Anomaly side pools Mirai, DoS, Scan and MITM flows: the sample
    has no ``Cat`` or ``Sub_Cat``.
README.md of the shared IoTID20 folder
    Row counts left after exact duplicates are removed.
The paper (Boutra et al.)
    Subset size, split, threshold, Table I features, Table II metrics and the
    latency protocol, in ``PAPER``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from mirai_gmm.schema import PAPER_FEATURES

__all__ = [
    "CLASS_COUNTS",
    "DEDUPLICATED_COUNTS",
    "DEDUPLICATED_ROWS",
    "DESCRIBE_1PCT_BY_LABEL",
    "DESCRIBE_FULL",
    "DESCRIBE_STATS",
    "OFFICIAL_ROWS",
    "PAPER",
    "SAMPLE_1PCT_ROWS",
    "compare_counts",
]

INF = math.inf
NAN = math.nan

#: Rows of the official release (class_counts_full.csv, sum of any one level).
OFFICIAL_ROWS = 625_783

# Source: class_counts_full.csv -- rows per class at each labelling level of the
# official release. Class names are spelled exactly as released, including the
# truncated "Mirai-Hostbruteforceg".
CLASS_COUNTS: dict[str, dict[str, int]] = {
    "Label": {
        "Anomaly": 585_710,
        "Normal": 40_073,
    },
    "Cat": {
        "Mirai": 415_677,
        "Scan": 75_265,
        "DoS": 59_391,
        "Normal": 40_073,
        "MITM ARP Spoofing": 35_377,
    },
    "Sub_Cat": {
        "Mirai-UDP Flooding": 183_554,
        "Mirai-Hostbruteforceg": 121_181,
        "DoS-Synflooding": 59_391,
        "Mirai-HTTP Flooding": 55_818,
        "Mirai-Ackflooding": 55_124,
        "Scan Port OS": 53_073,
        "Normal": 40_073,
        "MITM ARP Spoofing": 35_377,
        "Scan Hostport": 22_192,
    },
}

#: Rows of the official release left after exact duplicate rows are dropped
#: (shared IoTID20 README.md).
DEDUPLICATED_ROWS = 461_696

# Source: shared IoTID20 README.md -- rows per class after exact duplicates are
# removed from the full release. The README gives no split of Scan into its two
# sub-categories, so "Scan Port OS" and "Scan Hostport" are absent at the
# Sub_Cat level. DoS and MITM have one sub-category each, so their Cat figure is
# also their Sub_Cat figure. The Label level is derived: Anomaly is the total
# minus Normal.
DEDUPLICATED_COUNTS: dict[str, dict[str, int]] = {
    "Label": {
        "Anomaly": DEDUPLICATED_ROWS - 38_598,
        "Normal": 38_598,
    },
    "Cat": {
        "Mirai": 281_102,
        "DoS": 59_390,
        "Scan": 56_744,
        "Normal": 38_598,
        "MITM ARP Spoofing": 25_862,
    },
    "Sub_Cat": {
        "Mirai-UDP Flooding": 142_217,
        "Mirai-Hostbruteforceg": 86_507,
        "Mirai-HTTP Flooding": 26_539,
        "Mirai-Ackflooding": 25_839,
        "DoS-Synflooding": 59_390,
        "Normal": 38_598,
        "MITM ARP Spoofing": 25_862,
    },
}

#: Order of the statistics in every tuple of ``DESCRIBE_FULL`` and
#: ``DESCRIBE_1PCT_BY_LABEL`` (the ``count`` row is left out: see the row
#: constants).
DESCRIBE_STATS = ("mean", "std", "min", "25%", "50%", "75%", "max")

# Source: describe_full_all_classes.csv -- describe() of the 79 numeric columns
# of the full release, all classes pooled, count 625,783 for every column.
# Flow_Byts/s and Flow_Pkts/s hold infinite values, hence a mean and a maximum
# of inf and an undefined (NaN) standard deviation.
DESCRIBE_FULL: dict[str, tuple[float, ...]] = {
    "Src_Port": (35026.15619, 24721.047752, 0.0, 9020.0, 51991.0, 56361.0, 65500.0),
    "Dst_Port": (16387.027479, 17550.363037, 0.0, 8899.0, 9020.0, 10101.0, 65371.0),
    "Protocol": (9.971436, 5.379857, 0.0, 6.0, 6.0, 17.0, 17.0),
    "Flow_Duration": (635.422865, 3496.740723, 0.0, 76.0, 132.0, 221.0, 99984.0),
    "Tot_Fwd_Pkts": (1.675566, 4.30997, 0.0, 0.0, 1.0, 2.0, 186.0),
    "Tot_Bwd_Pkts": (1.46853, 1.21949, 1.0, 1.0, 1.0, 2.0, 560.0),
    "TotLen_Fwd_Pkts": (570.73898, 1161.873195, 0.0, 0.0, 32.0, 1388.0, 109846.0),
    "TotLen_Bwd_Pkts": (929.280973, 1731.760875, 0.0, 18.0, 104.0, 1441.0, 773284.0),
    "Fwd_Pkt_Len_Max": (392.489726, 619.575865, 0.0, 0.0, 30.0, 1388.0, 1464.0),
    "Fwd_Pkt_Len_Min": (348.126571, 588.161845, 0.0, 0.0, 30.0, 386.0, 1464.0),
    "Fwd_Pkt_Len_Mean": (373.556651, 596.552835, 0.0, 0.0, 30.0, 864.0, 1464.0),
    "Fwd_Pkt_Len_Std": (28.161094, 144.35619, 0.0, 0.0, 0.0, 0.0, 1032.375901),
    "Bwd_Pkt_Len_Max": (681.424563, 694.997621, 0.0, 18.0, 40.0, 1430.0, 1464.0),
    "Bwd_Pkt_Len_Min": (588.665338, 682.938908, 0.0, 0.0, 32.0, 1430.0, 1460.0),
    "Bwd_Pkt_Len_Mean": (637.107254, 669.563565, 0.0, 18.0, 36.0, 1430.0, 1460.0),
    "Bwd_Pkt_Len_Std": (62.991166, 227.773332, 0.0, 0.0, 0.0, 0.0, 1032.375901),
    "Flow_Byts/s": (INF, NAN, 0.0, 248062.0, 10834590.0, 20689190.0, INF),
    "Flow_Pkts/s": (INF, NAN, 20.0054, 12552.3, 17241.38, 26666.67, INF),
    "Flow_IAT_Mean": (483.462553, 1892.861521, 0.0, 73.0, 95.0, 142.5, 99973.0),
    "Flow_IAT_Std": (63.136879, 1159.713184, 0.0, 0.0, 0.0, 2.081666, 67901.342877),
    "Flow_IAT_Max": (565.820169, 2866.325298, 0.0, 74.0, 115.0, 157.0, 99973.0),
    "Flow_IAT_Min": (443.103039, 1719.332813, 0.0, 72.0, 79.0, 132.0, 99973.0),
    "Fwd_IAT_Tot": (102.157949, 2216.30446, 0.0, 0.0, 0.0, 10.0, 99676.0),
    "Fwd_IAT_Mean": (52.515505, 1212.002429, 0.0, 0.0, 0.0, 3.0, 98135.0),
    "Fwd_IAT_Std": (27.68925, 959.023292, 0.0, 0.0, 0.0, 0.0, 70374.095291),
    "Fwd_IAT_Max": (85.024112, 1935.611451, 0.0, 0.0, 0.0, 5.0, 99600.0),
    "Fwd_IAT_Min": (34.679327, 1000.385742, 0.0, 0.0, 0.0, 1.0, 98135.0),
    "Bwd_IAT_Tot": (516.792743, 3147.286789, 0.0, 0.0, 0.0, 119.0, 99973.0),
    "Bwd_IAT_Mean": (446.964592, 2242.463582, 0.0, 0.0, 0.0, 83.0, 99973.0),
    "Bwd_IAT_Std": (28.790664, 808.672338, 0.0, 0.0, 0.0, 0.0, 68998.065495),
    "Bwd_IAT_Max": (486.704898, 2751.967326, 0.0, 0.0, 0.0, 85.0, 99973.0),
    "Bwd_IAT_Min": (428.857417, 2177.830162, 0.0, 0.0, 0.0, 78.0, 99973.0),
    "Fwd_PSH_Flags": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "Bwd_PSH_Flags": (0.02641, 0.160352, 0.0, 0.0, 0.0, 0.0, 1.0),
    "Fwd_URG_Flags": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "Bwd_URG_Flags": (5.1e-05, 0.007151, 0.0, 0.0, 0.0, 0.0, 1.0),
    "Fwd_Header_Len": (22.490408, 41.530486, 0.0, 0.0, 8.0, 32.0, 3832.0),
    "Bwd_Header_Len": (33.719612, 40.283654, 0.0, 8.0, 32.0, 44.0, 17920.0),
    "Fwd_Pkts/s": (50307.27, 164411.8, 0.0, 0.0, 7633.588, 13422.82, 4000000.0),
    "Bwd_Pkts/s": (
        27818.105271,
        78481.469928,
        0.0,
        5154.639175,
        10989.010989,
        19867.549669,
        1000000.0,
    ),
    "Pkt_Len_Min": (511.645564, 653.951208, 0.0, 0.0, 32.0, 1388.0, 1460.0),
    "Pkt_Len_Max": (700.089229, 696.842817, 0.0, 20.0, 167.0, 1430.0, 1464.0),
    "Pkt_Len_Mean": (633.666814, 652.306047, 0.0, 18.0, 94.0, 1388.0, 1460.0),
    "Pkt_Len_Std": (102.553417, 243.227387, 0.0, 0.0, 0.0, 0.0, 842.931393),
    "Pkt_Len_Var": (69676.670746, 179138.678822, 0.0, 0.0, 0.0, 0.0, 710533.333333),
    "FIN_Flag_Cnt": (0.000527, 0.022958, 0.0, 0.0, 0.0, 0.0, 1.0),
    "SYN_Flag_Cnt": (0.092946, 0.290357, 0.0, 0.0, 0.0, 0.0, 1.0),
    "RST_Flag_Cnt": (0.000486, 0.022035, 0.0, 0.0, 0.0, 0.0, 1.0),
    "PSH_Flag_Cnt": (0.02641, 0.160352, 0.0, 0.0, 0.0, 0.0, 1.0),
    "ACK_Flag_Cnt": (0.530475, 0.499071, 0.0, 0.0, 1.0, 1.0, 1.0),
    "URG_Flag_Cnt": (5.1e-05, 0.007151, 0.0, 0.0, 0.0, 0.0, 1.0),
    "CWE_Flag_Count": (0.000206, 0.014356, 0.0, 0.0, 0.0, 0.0, 1.0),
    "ECE_Flag_Cnt": (6.7e-05, 0.008192, 0.0, 0.0, 0.0, 0.0, 1.0),
    "Down/Up_Ratio": (0.364652, 0.499153, 0.0, 0.0, 0.0, 1.0, 14.0),
    "Pkt_Size_Avg": (915.246266, 948.679333, 0.0, 25.5, 139.333333, 1951.0, 2190.0),
    "Fwd_Seg_Size_Avg": (373.556651, 596.552835, 0.0, 0.0, 30.0, 864.0, 1464.0),
    "Bwd_Seg_Size_Avg": (637.107254, 669.563565, 0.0, 18.0, 36.0, 1430.0, 1460.0),
    "Fwd_Byts/b_Avg": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "Fwd_Pkts/b_Avg": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "Fwd_Blk_Rate_Avg": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "Bwd_Byts/b_Avg": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "Bwd_Pkts/b_Avg": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "Bwd_Blk_Rate_Avg": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "Subflow_Fwd_Pkts": (1.675566, 4.30997, 0.0, 0.0, 1.0, 2.0, 186.0),
    "Subflow_Fwd_Byts": (570.73898, 1161.873195, 0.0, 0.0, 32.0, 1388.0, 109846.0),
    "Subflow_Bwd_Pkts": (1.46853, 1.21949, 1.0, 1.0, 1.0, 2.0, 560.0),
    "Subflow_Bwd_Byts": (929.280973, 1731.760875, 0.0, 18.0, 104.0, 1441.0, 773284.0),
    "Init_Fwd_Win_Byts": (-1.0, 0.0, -1.0, -1.0, -1.0, -1.0, -1.0),
    "Init_Bwd_Win_Byts": (
        5880.924744,
        11529.622909,
        -1.0,
        -1.0,
        252.0,
        1869.0,
        65535.0,
    ),
    "Fwd_Act_Data_Pkts": (1.509913, 4.332737, 0.0, 0.0, 1.0, 1.0, 186.0),
    "Fwd_Seg_Size_Min": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
    "Active_Mean": (3.764405, 68.064508, 0.0, 0.0, 0.0, 0.0, 9044.625),
    "Active_Std": (0.353385, 20.72337, 0.0, 0.0, 0.0, 0.0, 8598.65825),
    "Active_Max": (4.248735, 88.934148, 0.0, 0.0, 0.0, 0.0, 26785.0),
    "Active_Min": (3.462159, 64.111043, 0.0, 0.0, 0.0, 0.0, 6659.0),
    "Idle_Mean": (502.503832, 2112.95736, 0.0, 73.0, 93.5, 141.0, 99973.0),
    "Idle_Std": (52.403995, 1153.184897, 0.0, 0.0, 0.0, 1.527525, 67071.906623),
    "Idle_Max": (561.540512, 2866.497606, 0.0, 74.0, 114.0, 154.0, 99973.0),
    "Idle_Min": (467.264459, 1931.909971, 0.0, 71.0, 78.0, 130.0, 99973.0),
}

#: Rows of the public 1 % sample per Label (describe_1pct_by_label.csv, count).
SAMPLE_1PCT_ROWS = {"Normal": 361, "Anomaly": 5_891}

# Source: describe_1pct_by_label.csv -- describe() of the 1 % sample, per Label
# (column Label0_Normal -> "Normal", Label1_Anomaly -> "Anomaly"). Anomaly pools
# Mirai, DoS, Scan and MITM flows. The sample replaces Flow_ID, Src_IP, Dst_IP
# and Timestamp by integer codes; their statistics mean nothing and are left
# out, leaving 27 columns. Floats in the sample were rounded to 2 decimals.
DESCRIBE_1PCT_BY_LABEL: dict[str, dict[str, tuple[float, ...]]] = {
    "Normal": {
        "Src_Port": (
            16157.875346260387,
            16182.690858461378,
            80.0,
            9020.0,
            9020.0,
            9020.0,
            58382.0,
        ),
        "Dst_Port": (
            41811.45706371191,
            17212.024209641648,
            443.0,
            49784.0,
            49784.0,
            49784.0,
            55372.0,
        ),
        "Flow_Duration": (
            337.14404432132966,
            140.50099356801013,
            71.0,
            212.0,
            374.0,
            453.0,
            549.0,
        ),
        "TotLen_Fwd_Pkts": (
            1094.4182825484766,
            1466.1107278170962,
            0.0,
            0.0,
            30.0,
            1418.0,
            7240.0,
        ),
        "TotLen_Bwd_Pkts": (
            1201.371191135734,
            1176.609703838849,
            0.0,
            0.0,
            1388.0,
            1388.0,
            5792.0,
        ),
        "Bwd_Pkt_Len_Max": (
            932.0332409972299,
            651.0459780680881,
            0.0,
            0.0,
            1388.0,
            1388.0,
            1460.0,
        ),
        "Flow_Byts/s": (
            7757801.630387811,
            6825786.884522281,
            0.0,
            0.0,
            8116959.06,
            12224137.93,
            36658227.85,
        ),
        "Flow_Pkts/s": (
            10648.83213296399,
            5678.963732790188,
            3690.04,
            6269.59,
            8849.56,
            13824.88,
            28169.01,
        ),
        "Flow_IAT_Mean": (
            203.91077562326873,
            120.31258570193573,
            70.67,
            110.67,
            166.67,
            258.0,
            542.0,
        ),
        "Flow_IAT_Std": (
            47.37202216066483,
            64.04635289780846,
            0.0,
            0.0,
            16.26,
            73.42,
            265.17,
        ),
        "Flow_IAT_Max": (
            245.18282548476455,
            125.04339172994226,
            71.0,
            130.0,
            225.0,
            350.0,
            542.0,
        ),
        "Flow_IAT_Min": (
            170.2049861495845,
            132.3950405145413,
            67.0,
            75.0,
            115.0,
            215.0,
            542.0,
        ),
        "Fwd_IAT_Tot": (
            80.52908587257618,
            127.86670516812005,
            0.0,
            0.0,
            0.0,
            143.0,
            465.0,
        ),
        "Bwd_IAT_Tot": (
            141.50415512465375,
            194.76682814020998,
            0.0,
            0.0,
            0.0,
            344.0,
            549.0,
        ),
        "Bwd_IAT_Mean": (
            88.34972299168975,
            133.94761944270417,
            0.0,
            0.0,
            0.0,
            144.0,
            535.0,
        ),
        "Bwd_IAT_Std": (
            24.575927977839335,
            58.410360679946706,
            0.0,
            0.0,
            0.0,
            0.0,
            265.17,
        ),
        "Bwd_IAT_Max": (
            109.53739612188366,
            158.04796867787005,
            0.0,
            0.0,
            0.0,
            188.0,
            535.0,
        ),
        "Bwd_Header_Len": (
            55.94459833795014,
            35.038347721015256,
            8.0,
            32.0,
            32.0,
            64.0,
            224.0,
        ),
        "Fwd_Pkts/s": (
            3981.2016620498616,
            4058.0186334479936,
            0.0,
            0.0,
            2770.08,
            7500.0,
            13937.28,
        ),
        "Bwd_Pkts/s": (
            6667.630193905818,
            5611.655846038841,
            1824.82,
            2604.17,
            4842.62,
            7772.02,
            28169.01,
        ),
        "Pkt_Len_Std": (
            276.73548476454295,
            336.6366026334801,
            0.0,
            0.0,
            0.0,
            679.0,
            842.93,
        ),
        "FIN_Flag_Cnt": (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0),
        "Pkt_Size_Avg": (
            1091.5343213296399,
            782.793152154973,
            0.0,
            0.0,
            1395.5,
            1810.0,
            2172.0,
        ),
        "Init_Bwd_Win_Byts": (
            13077.590027700831,
            15137.791054484587,
            -1.0,
            1869.0,
            1869.0,
            32679.0,
            65208.0,
        ),
        "Idle_Mean": (
            203.69193905817176,
            120.61189128129875,
            0.0,
            110.67,
            166.67,
            258.0,
            542.0,
        ),
        "Idle_Max": (
            244.9639889196676,
            125.40364308743139,
            0.0,
            130.0,
            225.0,
            350.0,
            542.0,
        ),
        "Idle_Min": (
            169.98614958448752,
            132.6113256721386,
            0.0,
            74.0,
            115.0,
            215.0,
            542.0,
        ),
    },
    "Anomaly": {
        "Src_Port": (
            35960.938889831945,
            24759.051011913325,
            0.0,
            8748.0,
            51996.0,
            56361.0,
            64783.0,
        ),
        "Dst_Port": (
            14561.984892208453,
            16045.715879728787,
            0.0,
            8899.0,
            9020.0,
            10101.0,
            60822.0,
        ),
        "Flow_Duration": (
            682.9477168562214,
            3740.0160300786997,
            1.0,
            76.0,
            126.0,
            200.0,
            99110.0,
        ),
        "TotLen_Fwd_Pkts": (
            540.030045832626,
            1058.475127818716,
            0.0,
            0.0,
            32.0,
            1153.0,
            38136.0,
        ),
        "TotLen_Bwd_Pkts": (
            899.8983194703785,
            1147.9840799826495,
            0.0,
            0.0,
            52.0,
            1441.0,
            22445.0,
        ),
        "Bwd_Pkt_Len_Max": (
            657.8553726022747,
            694.7140608034404,
            0.0,
            0.0,
            35.0,
            1430.0,
            1460.0,
        ),
        "Flow_Byts/s": (
            12611138.223939905,
            12806207.457362255,
            0.0,
            159821.235,
            11165354.33,
            21174291.94,
            101481481.48,
        ),
        "Flow_Pkts/s": (
            83046.21698692921,
            227007.4915160126,
            30.32,
            13333.33,
            17543.86,
            26846.85,
            2500000.0,
        ),
        "Flow_IAT_Mean": (
            520.2069224240366,
            1873.0343688315204,
            0.44,
            73.0,
            89.0,
            137.0,
            49475.0,
        ),
        "Flow_IAT_Std": (
            70.35557121032083,
            1305.0363464275506,
            0.0,
            0.0,
            0.0,
            1.5,
            63942.25,
        ),
        "Flow_IAT_Max": (
            611.7243252418945,
            2957.2565326180425,
            1.0,
            74.0,
            113.0,
            149.0,
            94689.0,
        ),
        "Flow_IAT_Min": (
            473.3902563232049,
            1592.2212513902487,
            0.0,
            71.0,
            79.0,
            133.0,
            36021.0,
        ),
        "Fwd_IAT_Tot": (
            87.6206077066712,
            1976.9095201282964,
            0.0,
            0.0,
            0.0,
            10.0,
            87760.0,
        ),
        "Bwd_IAT_Tot": (
            588.3063995925988,
            3619.8057603421066,
            0.0,
            0.0,
            0.0,
            119.0,
            98950.0,
        ),
        "Bwd_IAT_Mean": (
            506.1972653199796,
            2527.875797574523,
            0.0,
            0.0,
            0.0,
            85.0,
            98950.0,
        ),
        "Bwd_IAT_Std": (
            23.717032761840095,
            642.718621936321,
            0.0,
            0.0,
            0.0,
            0.0,
            26151.11,
        ),
        "Bwd_IAT_Max": (
            554.9102020030555,
            3104.604817730898,
            0.0,
            0.0,
            0.0,
            86.0,
            98950.0,
        ),
        "Bwd_Header_Len": (
            32.05024613817688,
            26.389125220542077,
            0.0,
            8.0,
            32.0,
            44.0,
            608.0,
        ),
        "Fwd_Pkts/s": (
            53420.11102189781,
            165534.42170150872,
            0.0,
            0.0,
            8000.0,
            13513.51,
            2285714.29,
        ),
        "Bwd_Pkts/s": (
            29626.105725683246,
            85451.87200464492,
            20.21,
            5347.59,
            11904.76,
            20134.23,
            1000000.0,
        ),
        "Pkt_Len_Std": (
            88.49486844338823,
            229.05949745356477,
            0.0,
            0.0,
            0.0,
            0.0,
            842.93,
        ),
        "FIN_Flag_Cnt": (
            0.0010185028008827025,
            0.03190044196380933,
            0.0,
            0.0,
            0.0,
            0.0,
            1.0,
        ),
        "Pkt_Size_Avg": (
            894.3034102868784,
            957.1697200364024,
            0.0,
            22.5,
            52.5,
            2048.0,
            2190.0,
        ),
        "Init_Bwd_Win_Byts": (
            5534.547615005941,
            11341.664704853361,
            -1.0,
            -1.0,
            200.0,
            1869.0,
            65535.0,
        ),
        "Idle_Mean": (
            535.6252928195553,
            1997.9612351328826,
            0.0,
            72.5,
            87.33,
            135.0,
            49475.0,
        ),
        "Idle_Max": (
            606.4121541334239,
            2957.7097531570207,
            0.0,
            73.0,
            112.0,
            147.0,
            94689.0,
        ),
        "Idle_Min": (
            496.2863690375149,
            1725.8508886822376,
            0.0,
            71.0,
            78.0,
            131.0,
            41672.0,
        ),
    },
}

# Source: the paper (Boutra et al.) -- figures it reports, kept here so that
# notebooks and metrics.json can show them beside ours. Table II compares the
# model on the nine selected features with the model on all candidates.
# predict_seconds is the time the paper reports for predicting its test split.
PAPER: dict[str, object] = {
    "subset_rows": 228_683,
    "split": (0.6, 0.2, 0.2),
    "epsilon": 1.1125e-28,
    "validation_f1": 0.9495,
    "min_f1": 0.91,
    # Table I, in the order the paper lists the selected features.
    "features": PAPER_FEATURES,
    "table2": {
        "with_selection": {
            "predict_seconds": 0.0301,
            "precision": 0.9199,
            "recall": 0.9817,
            "f1": 0.9498,
            "accuracy": 0.9145,
        },
        "without_selection": {
            "predict_seconds": 0.0446,
            "precision": 0.9156,
            "recall": 0.9807,
            "f1": 0.9470,
            "accuracy": 0.9097,
        },
    },
    # Fig. 4: prediction time against batch size.
    "latency": {
        "batch_size_min": 1,
        "batch_size_max": 2000,
        "repeats": 1000,
        "cpu": "Intel Core i3, 3.6 GHz",
        "memory_gb": 8,
    },
}


def compare_counts(counts_by_subcat: Mapping[str, int]) -> list[str]:
    """List how per-``Sub_Cat`` row counts differ from the official release.

    Used to tell a user whether the file they point at is the complete official
    release (``check-data``): a sample, a deduplicated copy or another version
    shows up as one line per class that differs.

    Parameters
    ----------
    counts_by_subcat : mapping of str to int
        Rows per ``Sub_Cat`` value, for example
        ``frame["Sub_Cat"].value_counts()`` (a pandas Series works too).

    Returns
    -------
    list of str
        One human-readable line per difference, official classes first in
        release order, then classes the release does not have, then the total.
        An empty list means every count matches.

    Examples
    --------
    >>> compare_counts(CLASS_COUNTS["Sub_Cat"])
    []
    >>> counts = dict(CLASS_COUNTS["Sub_Cat"], Normal=40_000)
    >>> compare_counts(counts)[0]
    "Sub_Cat 'Normal': 40,000 rows, official 40,073 (-73)"
    """
    given = {str(name): int(count) for name, count in dict(counts_by_subcat).items()}
    official = CLASS_COUNTS["Sub_Cat"]
    lines = []
    for name, expected in official.items():
        if name not in given:
            lines.append(f"Sub_Cat {name!r}: missing, official {expected:,} rows")
        elif given[name] != expected:
            found = given[name]
            lines.append(
                f"Sub_Cat {name!r}: {_rows(found)}, official {expected:,} "
                f"({found - expected:+,})"
            )
    for name, found in given.items():
        if name not in official:
            lines.append(
                f"Sub_Cat {name!r}: {_rows(found)}, not in the official release"
            )
    total = sum(given.values())
    if lines and total != OFFICIAL_ROWS:
        lines.append(f"total: {total:,} rows, official {OFFICIAL_ROWS:,}")
    return lines


def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")
