"""Write README.md from nbs/index.ipynb (Quarto, which nbdev_readme needs, is not available here).

Markdown cells are copied as they are; code cells become ```python blocks; the `> summary` line
under the title stays a block quote. `python .ci/readme.py --check` fails if README.md is stale.
"""
import json, sys
from pathlib import Path

def render(nb_path='nbs/index.ipynb'):
    cells = json.loads(Path(nb_path).read_text())['cells']
    parts = []
    for c in cells:
        src = ''.join(c['source']).strip()
        if not src or src.startswith('#| hide'): continue
        parts.append(src if c['cell_type'] == 'markdown' else f"```python\n{src}\n```")
    return '<!-- generated from nbs/index.ipynb by .ci/readme.py: edit the notebook, not this file -->\n\n' + '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    text = render()
    if '--check' in sys.argv:
        if Path('README.md').read_text() != text: sys.exit('README.md is not in step with nbs/index.ipynb: run `python .ci/readme.py`')
        print('README.md is in step with nbs/index.ipynb')
    else: Path('README.md').write_text(text)
