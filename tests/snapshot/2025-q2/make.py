#!/usr/bin/env python3
"""Writes the snapshot's answers (hf/, openrouter/, github/, feeds/) and routes.json from the
facts below. Not a recording: see README.md for where each fact comes from. Run from this folder:
    python3 make.py
The output is deterministic (sorted keys, fixed ids), so running it again changes nothing."""
import calendar, hashlib, json, os

HUB = "/api/models?author={org}&expand[]=createdAt&expand[]=cardData&expand[]=gated&expand[]=safetensors&expand[]=downloads&expand[]=tags&expand[]=pipeline_tag&limit=100"
GH = "/orgs/{org}/repos?type=public&per_page=100"

def oid(text, n=24):
    return hashlib.sha256(text.encode()).hexdigest()[:n]

# Hugging Face Hub models: (id, createdAt, licence, base_model or None, parameters or None, pipeline_tag, library)
HF = {
    "Qwen": [
        [  # page 1
            ("Qwen/Qwen3-0.6B-Base", "2025-04-29T03:41:27.000Z", "apache-2.0", None, 600_000_000, "text-generation", "transformers"),
            ("Qwen/Qwen3-0.6B", "2025-04-29T03:41:33.000Z", "apache-2.0", "Qwen/Qwen3-0.6B-Base", 600_000_000, "text-generation", "transformers"),
            ("Qwen/Qwen3-8B-Base", "2025-04-29T03:42:05.000Z", "apache-2.0", None, 8_200_000_000, "text-generation", "transformers"),
            ("Qwen/Qwen3-8B", "2025-04-29T03:42:11.000Z", "apache-2.0", "Qwen/Qwen3-8B-Base", 8_200_000_000, "text-generation", "transformers"),
            ("Qwen/Qwen3-30B-A3B-Base", "2025-04-29T03:43:02.000Z", "apache-2.0", None, 30_500_000_000, "text-generation", "transformers"),
        ],
        [  # page 2
            ("Qwen/Qwen3-30B-A3B", "2025-04-29T03:43:09.000Z", "apache-2.0", "Qwen/Qwen3-30B-A3B-Base", 30_500_000_000, "text-generation", "transformers"),
            ("Qwen/Qwen3-32B", "2025-04-29T03:43:40.000Z", "apache-2.0", None, 32_800_000_000, "text-generation", "transformers"),
            ("Qwen/Qwen3-235B-A22B", "2025-04-29T03:44:18.000Z", "apache-2.0", None, 235_000_000_000, "text-generation", "transformers"),
            ("Qwen/Qwen3-235B-A22B-FP8", "2025-04-29T03:44:51.000Z", "apache-2.0", "Qwen/Qwen3-235B-A22B", 235_000_000_000, "text-generation", "transformers"),
            ("Qwen/Qwen3-Embedding-8B", "2025-06-05T09:12:40.000Z", "apache-2.0", "Qwen/Qwen3-8B-Base", 8_000_000_000, "feature-extraction", "sentence-transformers"),
        ],
    ],
    "deepseek-ai": [
        [
            ("deepseek-ai/DeepSeek-R1-0528", "2025-05-28T08:16:52.000Z", "mit", None, 685_000_000_000, "text-generation", "transformers"),
            ("deepseek-ai/DeepSeek-R1-0528-Qwen3-8B", "2025-05-29T10:03:31.000Z", "mit", "Qwen/Qwen3-8B", 8_200_000_000, "text-generation", "transformers"),
        ],
    ],
    "mistralai": [
        [
            ("mistralai/Devstral-Small-2505", "2025-05-21T13:20:06.000Z", "apache-2.0", "mistralai/Mistral-Small-3.1-24B-Instruct-2503", 23_600_000_000, "text2text-generation", "vllm"),
            ("mistralai/Magistral-Small-2506", "2025-06-10T12:05:44.000Z", "apache-2.0", "mistralai/Mistral-Small-3.1-24B-Instruct-2503", 23_600_000_000, "text2text-generation", "vllm"),
            ("mistralai/Magistral-Small-2506_gguf", "2025-06-10T12:31:19.000Z", "apache-2.0", "mistralai/Magistral-Small-2506", None, "text2text-generation", "llama.cpp"),
            ("mistralai/Mistral-Small-3.2-24B-Instruct-2506", "2025-06-20T09:47:21.000Z", "apache-2.0", "mistralai/Mistral-Small-3.1-24B-Instruct-2503", 24_000_000_000, "image-text-to-text", "vllm"),
        ],
    ],
}

# OpenRouter's /api/v1/models: (id, hugging_face_id, name, created as "YYYY-MM-DD", context_length)
OPENROUTER = [
    ("openai/gpt-4.1", "", "OpenAI: GPT-4.1", "2025-04-14", 1047576),
    ("qwen/qwen3-235b-a22b", "Qwen/Qwen3-235B-A22B", "Qwen: Qwen3 235B A22B", "2025-04-28", 40960),
    ("qwen/qwen3-235b-a22b:free", "Qwen/Qwen3-235B-A22B", "Qwen: Qwen3 235B A22B (free)", "2025-04-28", 40960),
    ("qwen/qwen3-30b-a3b", "Qwen/Qwen3-30B-A3B", "Qwen: Qwen3 30B A3B", "2025-04-28", 40960),
    ("mistralai/mistral-medium-3", "", "Mistral: Mistral Medium 3", "2025-05-07", 131072),
    ("mistralai/devstral-small", "mistralai/Devstral-Small-2505", "Mistral: Devstral Small", "2025-05-21", 131072),
    ("deepseek/deepseek-r1-0528", "deepseek-ai/DeepSeek-R1-0528", "DeepSeek: R1 0528", "2025-05-28", 163840),
    ("deepseek/deepseek-r1-0528-qwen3-8b", "deepseek-ai/DeepSeek-R1-0528-Qwen3-8B", "DeepSeek: Deepseek R1 0528 Qwen3 8B", "2025-05-29", 131072),
    ("mistralai/magistral-medium-2506", "", "Mistral: Magistral Medium 2506", "2025-06-10", 40960),
    ("mistralai/magistral-medium-2506:thinking", "", "Mistral: Magistral Medium 2506 (thinking)", "2025-06-10", 40960),
    ("mistralai/magistral-small-2506", "mistralai/Magistral-Small-2506", "Mistral: Magistral Small 2506", "2025-06-10", 40000),
    ("mistralai/mistral-small-3.2-24b-instruct", "mistralai/Mistral-Small-3.2-24B-Instruct-2506", "Mistral: Mistral Small 3.2 24B", "2025-06-20", 128000),
]

# GitHub organisations' public repositories: (name, description, licence SPDX, topics, language, created_at day)
GITHUB = {
    "QwenLM": [
        ("Qwen3", "Qwen3 is the large language model series developed by Qwen team, Alibaba Cloud.", "Apache-2.0", ["large-language-models", "llm", "qwen"], "Python", "2024-05-27"),
        ("Qwen-Agent", "Agent framework and applications built upon Qwen>=3.0, featuring Function Calling, MCP, Code Interpreter, RAG, Chrome extension, etc.", "Apache-2.0", [], "Python", "2023-09-22"),
    ],
    "deepseek-ai": [
        ("DeepSeek-R1", None, "MIT", [], None, "2025-01-20"),
        ("DeepSeek-V3", None, "MIT", [], "Python", "2024-12-26"),
    ],
    "mistralai": [
        ("mistral-inference", "Official inference library for Mistral models", "Apache-2.0", ["llm", "llm-inference", "mistralai"], "Jupyter Notebook", "2023-09-27"),
        ("client-python", "Python client library for Mistral AI platform", "Apache-2.0", [], "Python", "2023-12-11"),
    ],
}
LICENCES = {"Apache-2.0": ("apache-2.0", "Apache License 2.0"), "MIT": ("mit", "MIT License")}

# An Atom feed of Mistral AI's announcements: (day, title, summary, link)
FEED = [
    ("2025-05-07", "Medium is the new large.", "Mistral Medium 3 delivers frontier performance at lower cost; available on Mistral La Plateforme and in Le Chat Enterprise.", "https://mistral.ai/news/mistral-medium-3"),
    ("2025-05-21", "Devstral", "Devstral, an agentic model for software engineering built in collaboration with All Hands AI, released under the Apache 2.0 licence.", "https://mistral.ai/news/devstral"),
    ("2025-06-10", "Magistral", "Magistral, Mistral AI's first reasoning model: Magistral Small under Apache 2.0 and Magistral Medium in preview in Le Chat and through the API.", "https://mistral.ai/news/magistral"),
    ("2025-06-11", "Mistral Compute", "Mistral AI and NVIDIA announce a partnership to build Mistral Compute, a European AI infrastructure on 18,000 NVIDIA Grace Blackwell chips, announced at VivaTech.", "https://mistral.ai/news/mistral-compute"),
]


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def hub_model(m):
    mid, created, lic, base, params, pipeline, library = m
    card = {"license": lic, "library_name": library, "pipeline_tag": pipeline}
    if base:
        card["base_model"] = [base]
    tags = [library, "safetensors" if params else "gguf", pipeline, "license:" + lic]
    if base:
        tags.append("base_model:" + base)
    o = {"_id": oid(mid), "id": mid, "createdAt": created, "cardData": card, "gated": False, "downloads": 0, "tags": tags, "pipeline_tag": pipeline}
    if params:
        o["safetensors"] = {"parameters": {"BF16": params}, "total": params}
    return o


def main():
    routes = []
    for org, pages in HF.items():
        for i, page in enumerate(pages):
            path = HUB.format(org=org) + ("" if i == 0 else "&cursor=" + oid(org + str(i), 16))
            file = f"hf/{org}.page{i + 1}.json"
            write(file, json.dumps([hub_model(m) for m in page], indent=1) + "\n")
            route = {"path": path, "file": file, "type": "application/json"}
            if i + 1 < len(pages):
                route["next"] = HUB.format(org=org) + "&cursor=" + oid(org + str(i + 1), 16)
            routes.append(route)

    data = []
    for mid, hf, name, day, ctx in OPENROUTER:
        y, mo, d = map(int, day.split("-"))
        created = calendar.timegm((y, mo, d, 12, 0, 0))
        data.append({"id": mid, "canonical_slug": mid.split(":")[0], "hugging_face_id": hf, "name": name, "created": created,
                     "context_length": ctx, "architecture": {"modality": "text->text", "input_modalities": ["text"], "output_modalities": ["text"]},
                     "pricing": {"prompt": "0", "completion": "0"}})
    write("openrouter/models.json", json.dumps({"data": data}, indent=1) + "\n")
    routes.append({"path": "/api/v1/models", "file": "openrouter/models.json", "type": "application/json"})

    for org, repos in GITHUB.items():
        out = []
        for name, desc, spdx, topics, lang, since in repos:
            full = f"{org}/{name}"
            key, lname = LICENCES[spdx]
            out.append({"id": int(oid(full, 8), 16) % 900_000_000, "node_id": "R_" + oid(full, 12), "name": name, "full_name": full, "private": False,
                        "owner": {"login": org, "type": "Organization", "html_url": f"https://github.com/{org}"},
                        "html_url": f"https://github.com/{full}", "description": desc, "fork": False, "url": f"https://api.github.com/repos/{full}",
                        "created_at": since + "T10:00:00Z", "updated_at": "2025-06-30T00:00:00Z", "pushed_at": "2025-06-30T00:00:00Z", "homepage": None,
                        "language": lang, "archived": False, "disabled": False,
                        "license": {"key": key, "name": lname, "spdx_id": spdx, "url": f"https://api.github.com/licenses/{key}", "node_id": "MDc6TGljZW5zZT" + oid(key, 4)},
                        "topics": topics, "visibility": "public", "default_branch": "main"})
        file = f"github/{org}.json"
        write(file, json.dumps(out, indent=1) + "\n")
        routes.append({"path": GH.format(org=org), "file": file, "type": "application/json"})

    entries = "".join(
        f"""  <entry>
    <title>{t}</title>
    <link href="{link}"/>
    <id>{link}</id>
    <updated>{day}T09:00:00Z</updated>
    <summary>{s}</summary>
  </entry>
""" for day, t, s, link in reversed(FEED))
    write("feeds/mistral-news.atom", f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Mistral AI news (snapshot: April to June 2025)</title>
  <id>https://mistral.ai/news</id>
  <updated>{FEED[-1][0]}T09:00:00Z</updated>
  <link href="https://mistral.ai/news"/>
{entries}</feed>
""")
    routes.append({"path": "/feeds/mistral-news.atom", "file": "feeds/mistral-news.atom", "type": "application/atom+xml"})
    write("routes.json", json.dumps({"routes": routes}, indent=1) + "\n")


if __name__ == "__main__":
    os.chdir(os.path.dirname(os.path.abspath(__file__)))
    main()
