"""rongcuo (容错): the 奈曼旗市场监督管理局行政执法容错纠错实施办法 as Answer Set Programming."""

__version__ = "0.1.0"
