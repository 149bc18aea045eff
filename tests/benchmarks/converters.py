"""How well gxtables reads the text that HTML-to-text converters make of report pages.

The real figures of the development corpus (``expected/*.json`` of ../shared/corpus/dev and data/dev)
are drawn as report pages in the styles government sites use — bordered tables with merged header
cells, borderless ones, Word's HTML, placeholders in blank cells, layout tables, site templates with
navigation and scripts, a GBK page … — and every HTML-to-text converter that is installed turns each
page into text. gxtables.parse reads the text, and each cell drawn is sorted: right, wrong (read or
inferred with another value), uncertain, missed; false_ok counts pages whose ``ok`` is true while a
cell is wrong. One line per converter; a converter that is not installed is skipped with a note.

Run from the repository root (converters: ``pip install -e '.[bench]'``; ``apt-get install pandoc w3m
lynx links elinks html2text``)::

    PYTHONPATH=$PWD python tests/benchmarks/converters.py
    PYTHONPATH=$PWD python tests/benchmarks/converters.py --tools bs4_pipe,pandoc_gfm --styles bordered --verbose
    PYTHONPATH=$PWD python tests/benchmarks/converters.py --limit 3 --json out.json

Pages and converter outputs are cached under $TMPDIR/gxtables-bench/converters (GXTABLES_BENCH_CACHE
moves it); ``--fresh`` converts again. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import html
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _figures import (
    TABLE_OF_SECTION,
    Cell,
    Figure,
    Grid,
    Outcome,
    Tool,
    cache_root,
    cached_run,
    grids,
    load_figures,
    pick,
    program,
    prose,
    python_module,
    report,
    run_program,
    score,
)

# ---------------------------------------------------------------------------------------------- styles

STYLES = {
    "bordered": "border=1 table, merged header and label cells (colspan/rowspan), blank cells empty",
    "borderless": "no borders, <thead> of <th>, merged cells, blank cells empty",
    "word": "Word's HTML: <p class=MsoNormal><span> in every cell, &nbsp; in blank cells",
    "slash": "blank cells printed /",
    "dash": "blank cells printed —",
    "unmerged": "no spans: the slots a merged cell covered are empty cells",
    "repeated": "no spans: a merged cell's text repeated in every slot it covers",
    "vertical": "merged label columns written vertically (<br> between characters), <br> inside long labels",
    "nested": "the report inside nested layout tables, each section in a cell of its own",
    "site": "a site template: <div> wrappers, navigation, metadata table, scripts, share links, footer",
    "gbk": "a GBK page (charset declared in <meta>), full-width spaces, cells with <p>",
    "pretty": "pretty-printed markup: cell text on lines of its own, indented, <strong> headers",
}

BLANK_TEXT = {"word": "&nbsp;", "slash": "/", "dash": "—", "gbk": "&nbsp;", "nested": "&nbsp;"}
RE_CHARSET = re.compile(rb"charset=[\"']?([\w-]+)")  # the encoding a page declares in its <meta>


def _cell_text(cell: Cell, style: str) -> str:
    """The inside of a <td> in a style."""
    if cell.blank:
        return BLANK_TEXT.get(style, "")
    text = html.escape(cell.text, quote=False)
    if style == "vertical" and cell.kind == "label" and cell.rowspan > 2:
        return "<br>".join(text)
    if style == "vertical" and len(cell.text) > 12 and cell.id is None:
        cut = next((i + 1 for i, ch in enumerate(cell.text) if ch in "）、，" and 4 < i < len(cell.text) - 2), 8)
        return f"{html.escape(cell.text[:cut], quote=False)}<br>{html.escape(cell.text[cut:], quote=False)}"
    if style == "word":
        return (f"<p class=MsoNormal align=center style='text-align:center'><span lang=EN-US "
                f"style='font-size:10.5pt;font-family:仿宋_GB2312'>{text}<o:p></o:p></span></p>")
    if style == "gbk":
        return f"<p>{text}</p>"
    if style == "pretty":
        inner = f"<strong>{text}</strong>" if cell.kind in ("header", "caption") else text
        return f"\n                  <p>\n                    {inner}\n                  </p>\n                "
    if cell.kind in ("header", "caption") and style == "borderless":
        return text
    return text


def _spans(cell: Cell) -> str:
    return (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")


def table_html(grid: Grid, style: str) -> str:
    """One statutory table as HTML in a style."""
    attrs = {
        "bordered": ' border="1" cellspacing="0" cellpadding="2" style="border-collapse:collapse"',
        "borderless": ' class="data" style="border:none"',
        "word": " class=MsoNormalTable border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;border:none'",
        "pretty": ' class="table" width="100%"',
    }.get(style, ' border="1" cellspacing="0"')
    lines = [f"<table{attrs}>"]
    if style in ("unmerged", "repeated"):
        for row in grid.expanded():
            tds = []
            for cell, first in row:
                shown = cell if first or style == "repeated" else Cell("")
                tds.append(f"<td>{_cell_text(shown, style) if not (shown.blank and not first) else ''}</td>")
            lines.append("<tr>" + "".join(tds) + "</tr>")
        lines.append("</table>")
        return "\n".join(lines)
    header_rows = sum(1 for row in grid.rows if all(c.kind == "header" for c in row))
    for i, row in enumerate(grid.rows):
        if style == "borderless" and i == 0 and header_rows:
            lines.append("<thead>")
        tag = "th" if style == "borderless" and i < header_rows else "td"
        cells = [f"<{tag}{_spans(c)}>{_cell_text(c, style)}</{tag}>" for c in row]
        if style == "pretty":
            lines.append("  <tr>\n" + "\n".join(f"    {c}" for c in cells) + "\n  </tr>")
        else:
            lines.append("<tr>" + "".join(cells) + "</tr>")
        if style == "borderless" and i == header_rows - 1:
            lines.append("</thead><tbody>")
    if style == "borderless" and header_rows:
        lines.append("</tbody>")
    lines.append("</table>")
    return "\n".join(lines)


def _para(text: str, style: str, heading: bool = False) -> str:
    text = html.escape(text, quote=False)
    if style == "word":
        inner = f"<b>{text}</b>" if heading else text
        return f"<p class=MsoNormal style='text-indent:32.0pt'><span style='font-family:仿宋_GB2312'>{inner}</span></p>"
    if style == "gbk":
        return f"<p>\u3000\u3000{f'<strong>{text}</strong>' if heading else text}</p>"
    if heading:
        return f'<p style="text-indent:2em"><strong>{text}</strong></p>'
    return f'<p style="text-indent:2em">{text}</p>'


def body_html(fig: Figure, style: str) -> str:
    """The report itself: title, prose and tables, in the order of the national format."""
    words = prose(fig)
    tables = {g.table_id: g for g in grids(fig)}
    parts = [f"<h1 style=\"text-align:center\">{html.escape(words['title'][0])}</h1>" if style != "word"
             else f"<p class=MsoTitle align=center><b><span>{html.escape(words['title'][0])}</span></b></p>"]
    parts += [_para(p, style) for p in words["intro"]]
    for section, paras in words.items():
        if section in ("title", "intro"):
            continue
        parts.append(_para(section, style, heading=True))
        parts += [_para(p, style) for p in paras]
        grid = tables.get(TABLE_OF_SECTION.get(section, ""))
        if grid is not None:
            parts.append(table_html(grid, style))
    if style == "nested":
        cells = "\n".join(f"<tr><td>{p}</td></tr>" for p in parts)
        return f'<table width="100%" border="0"><tr><td><table width="96%" align="center">{cells}</table></td></tr></table>'
    return "\n".join(parts)


NAV = ("首页", "政务公开", "政府信息公开年报", "政务服务", "互动交流", "走进本地")


def page_html(fig: Figure, style: str) -> bytes:
    """A whole page in a style, as the bytes a site serves."""
    title = prose(fig)["title"][0]
    charset = "gbk" if style == "gbk" else "utf-8"
    head = f'<head><meta http-equiv="Content-Type" content="text/html; charset={charset}"><title>{html.escape(title)}</title>'
    body = body_html(fig, style)
    if style == "site":
        head += ('<script type="text/javascript">var websiteId = "e1db2778d23d43adb015b099e7687e2b", pageSize = 20, '
                 'columnId = 3213220037;</script><style>.nav li{float:left} td{border:1px solid #333}</style>')
        nav = "".join(f'<li><a href="/col/{i}/index.html">{n}</a></li>' for i, n in enumerate(NAV, 1))
        meta = ('<table class="table_content"><tr><td>索引号</td><td>014314799/2024-00002</td><td>分类</td><td>信息公开年报</td></tr>'
                f'<tr><td>发布机构</td><td>{html.escape(fig.body)}</td><td>公开日期</td><td>{fig.year + 1}-01-17</td></tr>'
                f'<tr><td>名称</td><td colspan="3">{html.escape(title)}</td></tr></table>')
        body = (f'<div class="header"><div class="logo"><img src="/images/logo.png" alt="logo"></div><ul class="nav">{nav}</ul>'
                '<div class="search"><input type="text" placeholder="请输入关键字"><a href="#">搜索</a></div></div>'
                f'<div class="container"><div class="position">当前位置：<a href="/">首页</a> &gt; <a href="#">政府信息公开年报</a></div>'
                f'{meta}<div class="article"><div class="TRS_Editor" id="zoom">{body}</div>'
                '<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a></div>'
                '<div class="tools">【字体：<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>】 浏览次数：<span id="hits">1286</span> '
                '<a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a></div></div></div>'
                '<script>document.getElementById("hits").innerHTML = 1286 + 1;</script>'
                '<div class="footer"><p>主办单位：本级人民政府办公室 网站标识码：3213220037</p>'
                '<p>苏ICP备05006207号-1 苏公网安备 32132202000001号</p><p>联系电话：0527-83521234</p></div>')
    elif style == "nested":
        nav = "".join(f'<td><a href="/col/{i}/">{n}</a></td>' for i, n in enumerate(NAV, 1))
        body = (f'<table width="1000" align="center"><tr>{nav}</tr></table>'
                f'<table width="1000" align="center"><tr><td width="200" valign="top"><table><tr><td>栏目导航</td></tr>'
                f'<tr><td><a href="#">年度报告</a></td></tr></table></td><td valign="top">{body}</td></tr></table>')
    page = f'<!DOCTYPE html>\n<html>{head}</head>\n<body>\n{body}\n</body>\n</html>\n'
    return page.encode(charset)


def page_path(fig: Figure, style: str, root: Path, fresh: bool = False) -> Path:
    """The page, written once into the cache (rewritten when its content changes)."""
    path = root / "pages" / style / f"{fig.name}.html"
    data = page_html(fig, style)
    if fresh or not path.exists() or path.read_bytes() != data:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return path


# ---------------------------------------------------------------------------------------------- tools

def _decoded(path: Path) -> str:
    """The page as text, decoded as its <meta> says (what a scraper does before a str-only converter)."""
    data = path.read_bytes()
    m = RE_CHARSET.search(data[:2048])
    return data.decode(m.group(1).decode() if m else "utf-8", "replace")


def _html2text(path: Path) -> str:
    import html2text

    return html2text.html2text(_decoded(path))


def _markdownify(path: Path) -> str:
    import markdownify

    return markdownify.markdownify(_decoded(path))


def _markitdown(path: Path) -> str:
    from markitdown import MarkItDown

    return MarkItDown().convert(str(path)).text_content


def _trafilatura(markdown: bool):
    def run(path: Path) -> str:
        import trafilatura

        kind = "markdown" if markdown else "txt"
        return trafilatura.extract(path.read_bytes(), output_format=kind, include_tables=True) or ""
    return run


def _inscriptis(path: Path) -> str:
    import inscriptis

    return inscriptis.get_text(_decoded(path))


def _bs4(separator: str, strip: bool = False):
    def run(path: Path) -> str:
        from bs4 import BeautifulSoup

        return BeautifulSoup(path.read_bytes(), "html.parser").get_text(separator, strip=strip)
    return run


def _lxml(path: Path) -> str:
    import lxml.html

    return lxml.html.document_fromstring(path.read_bytes()).text_content()


def _html_text(path: Path) -> str:
    import html_text

    return html_text.extract_text(_decoded(path))


def _justext(path: Path) -> str:
    import justext

    paras = justext.justext(path.read_bytes(), frozenset(), stopwords_low=0, stopwords_high=0,
                            encoding=None)
    return "\n".join(p.text for p in paras if not p.is_boilerplate)


def _readability(path: Path) -> str:
    import html2text
    from readability import Document

    return html2text.html2text(Document(_decoded(path)).summary())


def _boilerpy3(keep_everything: bool):
    def run(path: Path) -> str:
        from boilerpy3 import extractors

        kind = extractors.KeepEverythingExtractor if keep_everything else extractors.ArticleExtractor
        return kind().get_content(_decoded(path))
    return run


def _resiliparse(path: Path) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(_decoded(path))


def _pandoc(fmt: str):
    def run(path: Path) -> str:
        return run_program(["pandoc", "-f", "html", "-t", fmt, str(path)])
    return run


def _html2text_deb(path: Path) -> str:
    # its own recoding by <meta> grows without bound on a GBK page: it is given the page as UTF-8
    return run_program(["/usr/bin/html2text", "-utf8", "-nometa", "-nobs"], stdin=_decoded(path).encode("utf-8"))


TOOLS = [
    Tool("html2text", _html2text, python_module("html2text")),
    Tool("markdownify", _markdownify, python_module("markdownify")),
    Tool("markitdown", _markitdown, python_module("markitdown")),
    Tool("trafilatura", _trafilatura(False), python_module("trafilatura")),
    Tool("trafilatura_md", _trafilatura(True), python_module("trafilatura")),
    Tool("inscriptis", _inscriptis, python_module("inscriptis")),
    Tool("bs4", _bs4(""), python_module("bs4")),
    Tool("bs4_newline", _bs4("\n"), python_module("bs4")),
    Tool("bs4_newline_strip", _bs4("\n", strip=True), python_module("bs4")),
    Tool("bs4_pipe", _bs4(" | "), python_module("bs4")),
    Tool("lxml_text_content", _lxml, python_module("lxml")),
    Tool("html_text", _html_text, python_module("html_text")),
    Tool("justext", _justext, python_module("justext")),
    Tool("readability_html2text", _readability, python_module("readability")),
    Tool("boilerpy3", _boilerpy3(False), python_module("boilerpy3")),
    Tool("boilerpy3_all", _boilerpy3(True), python_module("boilerpy3")),
    Tool("resiliparse", _resiliparse, python_module("resiliparse")),
    Tool("pandoc_plain", _pandoc("plain"), program("pandoc")),
    Tool("pandoc_gfm", _pandoc("gfm"), program("pandoc")),
    Tool("w3m", lambda p: run_program(["w3m", "-dump", "-O", "UTF-8", "-T", "text/html", str(p)]), program("w3m")),
    Tool("lynx", lambda p: run_program(["lynx", "-dump", "-nolist", "-display_charset=UTF-8", str(p)]), program("lynx")),
    Tool("links", lambda p: run_program(["links", "-dump", "-codepage", "utf-8", str(p)]), program("links")),
    Tool("elinks", lambda p: run_program(["elinks", "-dump", "-dump-charset", "utf-8", "-no-references", str(p)]),
         program("elinks")),
    Tool("html2text_deb", _html2text_deb, program("/usr/bin/html2text")),
]


# ---------------------------------------------------------------------------------------------- run

def _one(job: tuple[Figure, str, list[str], bool]) -> list[Outcome]:
    """Every chosen converter on one page, each output parsed and scored."""
    fig, style, tool_names, fresh = job
    root = cache_root() / "converters"
    page = page_path(fig, style, root, fresh)
    out = []
    for tool in (t for t in TOOLS if t.name in tool_names):
        text, error, kept = cached_run(tool, page, root / "out" / style, fresh)
        o = score(fig, style, tool.name, text, error)
        o.output = str(kept)
        out.append(o)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tools", help="comma-separated converters (default: all)")
    ap.add_argument("--styles", help="comma-separated page styles (default: all)")
    ap.add_argument("--limit", type=int, help="only the first N figures")
    ap.add_argument("--verbose", action="store_true", help="list every wrong cell and every failed conversion")
    ap.add_argument("--json", metavar="OUT", help="write the totals and every run to this JSON file")
    ap.add_argument("--fresh", action="store_true", help="render and convert again, ignoring the cache")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: one per core)")
    ap.add_argument("--list", action="store_true", help="list the styles and converters and stop")
    args = ap.parse_args(argv)
    if args.list:
        for name, what in STYLES.items():
            print(f"style {name}: {what}")
        for t in TOOLS:
            print(f"tool {t.name}: {t.missing() or 'installed'}")
        return 0
    styles = pick(list(STYLES), args.styles, "style")
    names = pick([t.name for t in TOOLS], args.tools, "tool")
    notes = {t.name: why for t in TOOLS if t.name in names and (why := t.missing())}
    runnable = [n for n in names if n not in notes]
    figures = load_figures()[: args.limit] if args.limit else load_figures()
    jobs = [(fig, style, runnable, args.fresh) for fig in figures for style in styles]
    print(f"{len(figures)} figures x {len(styles)} styles x {len(runnable)} converters "
          f"(cache: {cache_root() / 'converters'})", file=sys.stderr)
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            outcomes = [o for batch in pool.map(_one, jobs) for o in batch]
    else:
        outcomes = [o for job in jobs for o in _one(job)]
    report(outcomes, names, notes, args.verbose, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
