"""The Python package against the command line: same rows, same
probabilities (byte for byte after the CLI's rounding), same errors, same
trained bundles and evaluation figures."""

import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import stance

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("STANCE_BIN", ROOT / "target" / "release" / "stance"))
BAR_TEXT = "Critics accused Mayor Ines Kowalski of lying."


def cli(*args, stdin=None, check=True):
    env = {k: v for k, v in os.environ.items() if k != "STANCE_MODEL"}
    r = subprocess.run([str(BIN), *map(str, args)], input=stdin, capture_output=True, text=True, cwd=ROOT, env=env)
    if check:
        assert r.returncode == 0, r.stderr
    return r


def mention_rows(jsonl):
    return [r for r in map(json.loads, jsonl.splitlines()) if r["type"] == "mention"]


@pytest.fixture(scope="module")
def model():
    return stance.Model.load()


def test_the_bar_sentence_gives_the_clis_row(model):
    rows = model.predict([BAR_TEXT])
    assert rows[0]["label"] == "negative"
    want = mention_rows(cli("predict", "--format", "jsonl", stdin=BAR_TEXT).stdout)
    assert len(rows) == len(want) == 1
    got = dict(rows[0], doc="<stdin>")
    assert got == want[0]
    # Byte for byte after rounding: the same six-decimal text.
    assert {k: f"{v:.6f}" for k, v in got["probabilities"].items()} == {k: f"{v:.6f}" for k, v in want[0]["probabilities"].items()}


def test_an_article_gives_every_row_the_cli_gives(model):
    path = "examples/harbour-dispute.txt"
    text = (ROOT / path).read_text(encoding="utf-8")
    got = model.predict([text], docs=[path])
    want = mention_rows(cli("predict", "--format", "jsonl", path).stdout)
    assert len(got) > 10
    assert got == want
    # The same keys in the same order, and values of the same types.
    assert [[(k, type(v)) for k, v in r.items()] for r in got] == [[(k, type(v)) for k, v in r.items()] for r in want]
    # Any number of threads gives the same rows.
    assert model.predict([text] * 7, threads=1, docs=[path] * 7) == model.predict([text] * 7, threads=2, docs=[path] * 7)


def test_loading_by_path_and_by_the_default_agree(model):
    by_path = stance.Model.load(ROOT / "models" / "newsmtsc")
    assert by_path.labels == model.labels == ["negative", "neutral", "positive"]
    assert "built in" in model.path
    assert by_path.predict([BAR_TEXT]) == model.predict([BAR_TEXT])


def test_given_actors_as_names_or_a_csv(model, tmp_path):
    text = (ROOT / "examples" / "harbour-dispute.txt").read_text(encoding="utf-8")
    actors = tmp_path / "actors.csv"
    actors.write_text("actor,alias\nPiet Vos,Vos\nHarbour Authority,the old harbour\n", encoding="utf-8")
    # As the command: listed actors on top of those found automatically ...
    want = mention_rows(cli("predict", "--format", "jsonl", "--actors", actors, "-", stdin=text).stdout)
    got = model.predict([text], actors=actors, docs=["<stdin>"])
    assert got == want
    names = {r["actor"] for r in got}
    assert {"Piet Vos", "Harbour Authority", "Ines Kowalski", "Marta Lind"} <= names
    # ... or only those, with only_listed / --only-listed.
    want = mention_rows(cli("predict", "--format", "jsonl", "--actors", actors, "--only-listed", "-", stdin=text).stdout)
    got = model.predict([text], actors=actors, docs=["<stdin>"], only_listed=True)
    assert got == want and {r["actor"] for r in got} == {"Piet Vos", "Harbour Authority"}
    # A list of names is a file of actors without aliases.
    names_only = tmp_path / "names.csv"
    names_only.write_text("actor\nPiet Vos\n", encoding="utf-8")
    for only in [False, True]:
        flags = ["--only-listed"] if only else []
        want = mention_rows(cli("predict", "--format", "jsonl", "--actors", names_only, *flags, "-", stdin=text).stdout)
        assert model.predict([text], actors=["Piet Vos"], docs=["<stdin>"], only_listed=only) == want
    assert {r["actor"] for r in model.predict([text], actors=["Piet Vos"], only_listed=True)} == {"Piet Vos"}
    with pytest.raises(stance.StanceError, match="only_listed=True needs actors"):
        model.predict([text], only_listed=True)


def test_a_corpus_scored_in_parts_with_its_groups_gives_one_runs_rows(model):
    texts = [
        "Opposition leader Juan Guaidó called for new elections.",
        (ROOT / "examples/harbour-dispute.txt").read_text(encoding="utf-8"),
        "Guaido said the army would not stop the march.",
        "Juan Guaido accused Nicolas Maduro of rigging the vote.",
    ]
    docs = [f"a{i}" for i in range(len(texts))]
    whole = model.predict(texts, docs=docs)
    found = [model.find_actors(texts[:2]), model.find_actors(texts[2:])]
    assert ("Juan Guaidó", "person", False) in found[0][0]
    names = [a for part in found for article in part for a in article]
    groups = stance.ActorGroups(names)
    # Spellings equal up to accents and case are one name.
    assert len(groups) == len(set(names)) - 1
    assert groups.resolve("Guaido", "person", False) == ("Juan Guaidó", "person", "juan-guaido")
    assert groups.resolve("Nobody", "person", False) is None
    parts = model.predict(texts[:2], docs=docs[:2], groups=groups) + model.predict(texts[2:], docs=docs[2:], groups=groups)
    assert parts == whole
    assert {r["actor"] for r in whole if r["doc"] in ("a0", "a2", "a3") and "Guaid" in r["mention"]} == {"Juan Guaidó"}
    # Without the corpus's groups the second part names him its own way.
    alone = model.predict(texts[2:], docs=docs[2:])
    assert {r["actor"] for r in alone if "Guaid" in r["mention"]} == {"Juan Guaido"}
    # predict_df takes them too.
    pd = pytest.importorskip("pandas")
    df = model.predict_df(pd.DataFrame({"id": docs[2:], "text": texts[2:]}), groups=groups)
    assert set(df[df["mention"].str.contains("Guaid")]["actor_id"]) == {"juan-guaido"}
    with pytest.raises(stance.StanceError, match='unknown kind "human"'):
        stance.ActorGroups([("Juan Guaidó", "human", False)])
    with pytest.raises(stance.StanceError, match='unknown kind "human"'):
        groups.resolve("Guaido", "human", False)


def test_predict_df_refuses_a_row_without_text(model):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"id": ["a", "b"], "text": ["Piet Vos spoke.", None]}, index=[10, 11])
    with pytest.raises(stance.StanceError, match="row 11: no text"):
        model.predict_df(df)


def test_score_gives_the_probabilities_of_predict(model):
    row = model.predict([BAR_TEXT])[0]
    p = model.score(BAR_TEXT, [(row["start"], row["end"])])
    assert list(p) == model.labels
    assert {k: round(v, 6) for k, v in p.items()} == row["probabilities"]
    assert abs(sum(p.values()) - 1) < 1e-9


def test_errors_carry_the_clis_message(model, tmp_path):
    missing = tmp_path / "nosuch"
    with pytest.raises(stance.StanceError) as e:
        stance.Model.load(missing)
    r = cli("predict", "--model", missing, stdin="x", check=False)
    assert r.returncode == 1
    # The same message, but for the folder "beside the executable" searched
    # for model names: the CLI's is stance's, the package's is Python's.
    beside = (str(BIN.parent / "models"), str(Path(sys.executable).resolve().parent / "models"))
    assert r.stderr.strip().replace(beside[0], "EXE") == f"stance: error: {e.value}".replace(beside[1], "EXE")
    assert "--model" in str(e.value) and "$STANCE_MODEL" in str(e.value)
    with pytest.raises(stance.StanceError, match="actors.csv"):
        model.predict(["x"], actors=str(tmp_path / "actors.csv"))
    with pytest.raises(stance.StanceError, match="a target needs at least one span"):
        model.score(BAR_TEXT, [])
    with pytest.raises(stance.StanceError, match="--threads 100000"):
        model.predict(["x"], threads=100000)
    with pytest.raises(TypeError):
        model.predict(BAR_TEXT)


def test_predict_df_has_the_cli_csv_rows(model, tmp_path):
    pd = pytest.importorskip("pandas")
    texts = [r["text"] for r in csv.DictReader(open(ROOT / "datasets" / "toy" / "test.csv", encoding="utf-8"))]
    df = pd.DataFrame({"id": [f"a{i}" for i in range(len(texts))], "text": texts, "outlet": ["x"] * len(texts)})
    got = model.predict_df(df, keep=["outlet"])
    src = tmp_path / "in.csv"
    df.to_csv(src, index=False)
    want = pd.read_csv(io.StringIO(cli("predict", "--input", "csv", "--format", "csv", "--keep", "outlet", src).stdout), keep_default_na=False)
    assert len(got) == len(want) > 0
    assert list(got.columns) == list(want.columns)
    assert list(got["outlet"].unique()) == ["x"]
    for c in ["doc", "sentence_index", "actor", "mention", "mention_kind", "start", "end", "label", "actor_id", "sentence"]:
        assert got[c].tolist() == want[c].tolist(), c
    for c in ["score"] + [f"p_{l}" for l in model.labels]:
        assert [f"{v:.6f}" for v in got[c]] == [f"{v:.6f}" for v in want[c]], c


def test_a_topic_models_rows_leave_the_mention_out_as_the_cli_does(tmp_path):
    # Two topics never named in their texts (as tests/topics.rs): the rows
    # score every sentence for each topic, with no mention, kind or offsets.
    sentences = {
        "wind power": {
            "favor": ["The new turbines are wonderful and clean", "We need many more turbines on the hills", "Turbines give the valley cheap clean energy"],
            "against": ["The turbines are ugly and noisy", "Those turbines kill birds and ruin the view", "The turbines are a terrible waste of money"],
            "none": ["The valley road was closed on Monday", "The farmers met in the village hall", "It rained on the hills all week"],
        },
        "school uniforms": {
            "favor": ["Pupils look smart in their blazers", "Blazers stop pupils competing over clothes", "Blazers make mornings easier for parents"],
            "against": ["Blazers are expensive and stifle pupils", "Forcing pupils into blazers is pointless", "Pupils hate the itchy blazers"],
            "none": ["The school term starts in September", "Pupils sat their exams in the hall", "The library opens at eight"],
        },
    }
    data = tmp_path / "topics.csv"
    data.write_text("text,target,label\n" + "".join(f"{t}.,{topic},{label}\n" for topic, by in sentences.items() for label, ts in by.items() for t in ts), encoding="utf-8")
    stance.train(format="csv", train=data, out=tmp_path / "m", conjoin_target="on")
    model = stance.Model.load(tmp_path / "m")
    text = "The turbines on the ridge are wonderful and clean. Those noisy turbines ruin the view. The council met on Tuesday."
    got = model.predict([text], docs=["<stdin>"])
    want = mention_rows(cli("predict", "--model", tmp_path / "m", "--format", "jsonl", stdin=text).stdout)
    assert len(got) == 3 * 2 and got == want
    assert [[(k, type(v)) for k, v in r.items()] for r in got] == [[(k, type(v)) for k, v in r.items()] for r in want]
    assert all(r["actor_kind"] == "topic" and r["mention"] is None and r["start"] is None for r in got)
    pd = pytest.importorskip("pandas")
    df = model.predict_df(pd.DataFrame({"id": ["a"], "text": [text]}))
    assert df["actor"].tolist() == [r["actor"] for r in got]
    assert df["mention"].isna().all() and df["start"].isna().all()
    # Listed actors: on top of the topics, or alone, as the CLI's flags.
    actors = tmp_path / "actors.csv"
    actors.write_text("actor,alias\nthe council,council\n", encoding="utf-8")
    for only in [False, True]:
        flags = ["--only-listed"] if only else []
        want = mention_rows(cli("predict", "--model", tmp_path / "m", "--format", "jsonl", "--actors", actors, *flags, stdin=text).stdout)
        got = model.predict([text], actors=actors, docs=["<stdin>"], only_listed=only)
        assert got == want
        assert len(got) == (1 if only else 1 + 3 * 2)
        assert model.predict_df(pd.DataFrame({"id": ["a"], "text": [text]}), actors=actors, only_listed=only)["actor"].tolist() == [r["actor"] for r in got]


def test_predict_df_without_pandas_says_so(model, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        model.predict_df(object())


def test_train_and_evaluate_mirror_the_cli(tmp_path):
    train = ROOT / "datasets" / "toy" / "train.csv"
    test = ROOT / "datasets" / "toy" / "test.csv"
    py_out, cli_out = tmp_path / "py", tmp_path / "cli"
    result = stance.train(format="csv", train=train, out=py_out, l2=[0.5, 2], dev=test, no_feature=["chars"], seed=3)
    cli("train", "--format", "csv", "--train", train, "--out", cli_out, "--l2", "0.5,2", "--dev", test, "--no-feature", "chars", "--seed", "3", "--quiet")
    for f in ["bundle.json", "weights.bin", "tokenizer.json"]:
        assert (py_out / f).read_bytes() == (cli_out / f).read_bytes(), f
    assert result["training"]["l2_search"] and "l2" in result["summary"].lower()
    got = stance.evaluate(format="csv", data=test, model=py_out)
    want = json.loads(cli("eval", "--model", cli_out, "--format", "csv", "--data", test, "--json").stdout)
    got.pop("model", None), want.pop("model", None)
    assert got == want and got["n"] > 0
    with pytest.raises(stance.StanceError, match="--l2"):
        stance.train(format="csv", train=train, out=tmp_path / "bad", l2=-1)
    with pytest.raises(stance.StanceError, match="invalid value 'nope'"):
        stance.evaluate(format="nope", data=test)


def test_the_gil_is_released_while_scoring(model):
    texts = [(ROOT / "examples" / "harbour-dispute.txt").read_text(encoding="utf-8")] * 400
    ticks = []
    done = threading.Event()

    def tick():
        while not done.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    t = threading.Thread(target=tick)
    t.start()
    time.sleep(0.01)
    start = time.perf_counter()
    model.predict(texts, threads=1)
    end = time.perf_counter()
    done.set()
    t.join()
    during = [x for x in ticks if start < x < end]
    # With the GIL held for the whole call, the other thread would not tick at all.
    assert end - start > 0.05 and len(during) >= 5, (end - start, len(during))
