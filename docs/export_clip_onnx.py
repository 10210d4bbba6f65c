#!/usr/bin/env python3
"""Export an OpenAI CLIP model to a PointCLIP for Java model bundle.

Documentation, not part of the build: run it on a machine with PyTorch and the `clip` package
(pip install torch git+https://github.com/openai/CLIP.git onnx), then copy the output directory
to where your Java application can read it.

    python docs/export_clip_onnx.py --backbone ViT-B/16 --out models/clip-vit-b16

The bundle holds visual.onnx (float32 [B,3,S,S] -> [B,D]), textual.onnx (int64 [B,77] -> [B,D]),
the BPE vocabulary and pointclip-model.json with SHA-256 checksums. For ViT backbones visual.onnx has
a second output, token_embeds [B, 1+g*g, D]: every token after ln_post and the projection (its row 0
is the image feature), which zero-shot part segmentation needs; --no-tokens leaves it out. The image encoder gets the
depth maps as the PointCLIP references feed them: repeated over RGB, no mean/std normalisation,
so the export must not add CLIP's image preprocessing.
"""
import argparse
import hashlib
import json
import os
import shutil

import torch
import clip


class Visual(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, image):
        return self.model.encode_image(image).float()


class VisualWithTokens(torch.nn.Module):
    """OpenAI's VisionTransformer.forward, returning ln_post(x) @ proj for every token, not only x[:, 0]."""

    def __init__(self, model):
        super().__init__()
        self.visual = model.visual

    def forward(self, image):
        v = self.visual
        x = v.conv1(image.type(v.conv1.weight.dtype))
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)
        cls = v.class_embedding.to(x.dtype) + torch.zeros(x.shape[0], 1, x.shape[-1], dtype=x.dtype, device=x.device)
        x = torch.cat([cls, x], dim=1)
        x = x + v.positional_embedding.to(x.dtype)
        x = v.ln_pre(x)
        x = x.permute(1, 0, 2)
        x = v.transformer(x)
        x = x.permute(1, 0, 2)
        tokens = (v.ln_post(x) @ v.proj).float()
        return tokens[:, 0, :], tokens


class Textual(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, text):
        return self.model.encode_text(text).float()


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backbone", default="ViT-B/16", help="RN50, RN101, ViT-B/32, ViT-B/16, ViT-L/14 ...")
    parser.add_argument("--out", required=True, help="output directory")
    parser.add_argument("--opset", type=int, default=17)
    parser.add_argument("--no-tokens", action="store_true",
                        help="leave out the token_embeds output (dense features for part segmentation)")
    args = parser.parse_args()

    model, _ = clip.load(args.backbone, device="cpu", jit=False)
    model = model.float().eval()
    size = model.visual.input_resolution
    dim = model.text_projection.shape[1]
    os.makedirs(args.out, exist_ok=True)

    image = torch.zeros(2, 3, size, size)
    text = clip.tokenize(["a chair", "a table"])
    tokens = not args.no_tokens and hasattr(model.visual, "transformer")  # ViT only; ResNets have no token grid
    with torch.no_grad():
        if tokens:
            torch.onnx.export(VisualWithTokens(model), image, os.path.join(args.out, "visual.onnx"),
                              opset_version=args.opset, input_names=["image"],
                              output_names=["image_features", "token_embeds"],
                              dynamic_axes={"image": {0: "batch"}, "image_features": {0: "batch"},
                                            "token_embeds": {0: "batch"}})
        else:
            torch.onnx.export(Visual(model), image, os.path.join(args.out, "visual.onnx"), opset_version=args.opset,
                              input_names=["image"], output_names=["image_features"],
                              dynamic_axes={"image": {0: "batch"}, "image_features": {0: "batch"}})
        torch.onnx.export(Textual(model), text, os.path.join(args.out, "textual.onnx"), opset_version=args.opset,
                          input_names=["text"], output_names=["text_features"],
                          dynamic_axes={"text": {0: "batch"}, "text_features": {0: "batch"}})

    vocab = os.path.join(os.path.dirname(clip.__file__), "bpe_simple_vocab_16e6.txt.gz")
    shutil.copy(vocab, os.path.join(args.out, "bpe_simple_vocab_16e6.txt.gz"))

    manifest = {
        "formatVersion": 1,
        "backbone": args.backbone,
        "embeddingDim": dim,
        "imageSize": size,
        "contextLength": 77,
        "logitScale": 100.0,
        "visual": {"file": "visual.onnx",
                   "input": {"name": "image", "type": "float32", "shape": [-1, 3, size, size]},
                   "output": {"name": "image_features", "type": "float32", "shape": [-1, dim]}},
        "textual": {"file": "textual.onnx",
                    "inputIds": {"name": "text", "type": "int64", "shape": [-1, 77]},
                    "output": {"name": "text_features", "type": "float32", "shape": [-1, dim]}},
        "tokenizer": {"format": "clip-bpe-gz", "files": ["bpe_simple_vocab_16e6.txt.gz"]},
        "sha256": {name: sha256(os.path.join(args.out, name))
                   for name in ("visual.onnx", "textual.onnx", "bpe_simple_vocab_16e6.txt.gz")},
    }
    with open(os.path.join(args.out, "pointclip-model.json"), "w") as f:
        json.dump(manifest, f, indent=2)

    # a quick self-check: the ONNX models give the PyTorch features
    try:
        import numpy as np
        import onnxruntime as ort
        outputs = ort.InferenceSession(os.path.join(args.out, "visual.onnx")).run(None, {"image": image.numpy()})
        with torch.no_grad():
            ref = model.encode_image(image).float().numpy()
        print("visual max |diff| vs PyTorch:", float(np.abs(outputs[0] - ref).max()))
        if tokens:
            print("token_embeds", list(outputs[1].shape), "class token max |diff| vs image features:",
                  float(np.abs(outputs[1][:, 0, :] - outputs[0]).max()))
    except ImportError:
        pass
    print("wrote", args.out)


if __name__ == "__main__":
    main()
