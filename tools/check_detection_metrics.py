#!/usr/bin/env python3
"""Reference numbers for nn/src/test/.../metrics: VOC all-point AP and COCO 101-point AP, transcribed in NumPy
from the VOC devkit's voc_eval/voc_ap and pycocotools' COCOeval.evaluateImg/accumulate (area "all", maxDets
100, no crowd or ignored boxes), with this project's box convention (continuous edges, no +1; a match needs
IoU >= the threshold). Run: python3 tools/check_detection_metrics.py [--java]

Prints the hand-checked cases of AveragePrecisionTest with their values, and a fixed pseudo-random case (seeded)
whose boxes and expected means are what DetectionMetricsReferenceTest holds (--java prints them as Java).
"""
import sys
import numpy as np


def iou(a, b):
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def voc_ap(truth, dets, cls, thr):
    """truth[i] = [(cls, x1, y1, x2, y2)], dets[i] = [(cls, x1, y1, x2, y2, score)]."""
    gts = [[g for g in img if g[0] == cls] for img in truth]
    npos = sum(len(g) for g in gts)
    if npos == 0:
        return float('nan')
    flat = [(i, d) for i, img in enumerate(dets) for d in img if d[0] == cls]
    order = np.argsort([-d[5] for _, d in flat], kind='mergesort')
    taken = [[False] * len(g) for g in gts]
    tp = np.zeros(len(flat))
    fp = np.zeros(len(flat))
    for k, o in enumerate(order):
        i, d = flat[o]
        ovs = [iou(d[1:5], g[1:5]) for g in gts[i]]
        if ovs and max(ovs) >= thr and not taken[i][int(np.argmax(ovs))]:
            taken[i][int(np.argmax(ovs))] = True
            tp[k] = 1
        else:
            fp[k] = 1
    fp = np.cumsum(fp)
    tp = np.cumsum(tp)
    rec = tp / float(npos)
    prec = tp / np.maximum(tp + fp, np.finfo(np.float64).eps)
    mrec = np.concatenate(([0.], rec, [1.]))
    mpre = np.concatenate(([0.], prec, [0.]))
    for i in range(mpre.size - 1, 0, -1):
        mpre[i - 1] = np.maximum(mpre[i - 1], mpre[i])
    i = np.where(mrec[1:] != mrec[:-1])[0]
    return float(np.sum((mrec[i + 1] - mrec[i]) * mpre[i + 1]))


IOU_THRS = np.linspace(.5, 0.95, int(np.round((0.95 - .5) / .05)) + 1, endpoint=True)
REC_THRS = np.linspace(.0, 1.00, int(np.round((1.00 - .0) / .01)) + 1, endpoint=True)


def coco_ap(truth, dets, cls, thrs=IOU_THRS, max_det=100):
    per_image = []
    npig = 0
    for gt_img, dt_img in zip(truth, dets):
        gt = [g for g in gt_img if g[0] == cls]
        dt = [d for d in dt_img if d[0] == cls]
        npig += len(gt)
        if not gt and not dt:
            continue
        dtind = np.argsort([-d[5] for d in dt], kind='mergesort')
        dt = [dt[i] for i in dtind[0:max_det]]
        dtm = np.zeros((len(thrs), len(dt)))
        gtm = np.zeros((len(thrs), len(gt)))
        for tind, t in enumerate(thrs):
            for dind, d in enumerate(dt):
                best = min([t, 1 - 1e-10])
                m = -1
                for gind, g in enumerate(gt):
                    if gtm[tind, gind] > 0:
                        continue
                    o = iou(d[1:5], g[1:5])
                    if o < best:
                        continue
                    best = o
                    m = gind
                if m == -1:
                    continue
                dtm[tind, dind] = 1
                gtm[tind, m] = 1
        per_image.append((np.array([d[5] for d in dt]), dtm))
    out = -np.ones(len(thrs))
    if not per_image or npig == 0:
        return out
    scores = np.concatenate([s for s, _ in per_image])
    inds = np.argsort(-scores, kind='mergesort')
    dtm = np.concatenate([m for _, m in per_image], axis=1)[:, inds]
    tps = dtm.astype(bool)
    fps = np.logical_not(dtm)
    tp_sum = np.cumsum(tps, axis=1).astype(dtype=float)
    fp_sum = np.cumsum(fps, axis=1).astype(dtype=float)
    for t, (tp, fp) in enumerate(zip(tp_sum, fp_sum)):
        tp = np.array(tp)
        fp = np.array(fp)
        nd = len(tp)
        rc = tp / npig
        pr = tp / (fp + tp + np.spacing(1))
        q = np.zeros((len(REC_THRS),))
        pr = pr.tolist()
        q = q.tolist()
        for i in range(nd - 1, 0, -1):
            if pr[i] > pr[i - 1]:
                pr[i - 1] = pr[i]
        ri_inds = np.searchsorted(rc, REC_THRS, side='left')
        try:
            for ri, pi in enumerate(ri_inds):
                q[ri] = pr[pi]
        except IndexError:
            pass
        out[t] = np.mean(np.array(q))
    return out


def means(truth, dets, classes):
    ap50 = [voc_ap(truth, dets, k, 0.5) for k in range(classes)]
    coco = [coco_ap(truth, dets, k) for k in range(classes)]
    present = [k for k in range(classes) if not np.isnan(ap50[k])]
    map50 = float(np.mean([ap50[k] for k in present])) if present else 0.0
    allap = np.array(coco)
    m = float(np.mean(allap[allap > -1])) if (allap > -1).any() else 0.0
    return ap50, coco, map50, m


def hand_cases():
    g = lambda *b: (0,) + b
    d = lambda s, *b: (0,) + b + (s,)
    truth = [[g(0, 0, 10, 10)], [g(0, 0, 10, 10), g(20, 20, 30, 30)]]
    dets = [[d(0.9, 0, 0, 10, 10), d(0.8, 1, 0, 11, 10)],
            [d(0.7, 0, 0, 10, 10), d(0.6, 50, 50, 60, 60), d(0.5, 20, 20, 30, 30)]]
    print('duplicate: voc', voc_ap(truth, dets, 0, 0.5), '(34/45 =', 34 / 45, ') coco@.5',
          coco_ap(truth, dets, 0, [0.5])[0], '(76.4/101 =', 76.4 / 101, ')')
    truth = [[g(0, 0, 10, 10), g(4, 0, 14, 10)]]
    dets = [[d(0.9, 0, 0, 10, 10), d(0.8, 1, 0, 11, 10)]]
    print('voc vs coco: voc', voc_ap(truth, dets, 0, 0.5), 'coco@.5', coco_ap(truth, dets, 0, [0.5])[0],
          'coco@.55', coco_ap(truth, dets, 0, [0.55])[0], 'coco mean', coco_ap(truth, dets, 0).mean(),
          '(expected 0.5, 1, 51/101, ', (1 + 9 * 51 / 101) / 10, ')')
    dets = [[d(0.9, 50, 50, 60, 60)] * 100 + [d(0.1, 0, 0, 10, 10)]]
    truth = [[g(0, 0, 10, 10)]]
    print('maxDets: coco', coco_ap(truth, dets, 0, [0.5])[0], 'voc', voc_ap(truth, dets, 0, 0.5), '(1/101)')
    truth = [[(0, 0, 0, 10, 10), (1, 20, 20, 30, 30)], []]
    dets = [[(0, 0, 0, 10, 10, 0.9), (2, 40, 40, 50, 50, 0.8)], []]
    print('means: ', means(truth, dets, 3)[2:], '(0.5, 0.5)')
    truth = [[(0, 0, 0, 10, 10)]]
    dets = [[(0, 0, 0, 10, 8, 0.9)]]
    print('iou 0.8: ', means(truth, dets, 1)[2:], '(1, 0.7)')


def random_case(seed=7, images=12, classes=3):
    """Boxes on integer and half-pixel coordinates, scores in 1/64 steps (ties happen), some near-duplicates."""
    rng = np.random.default_rng(seed)
    truth, dets = [], []
    for _ in range(images):
        gt = []
        for _ in range(rng.integers(0, 4)):
            c = int(rng.integers(0, classes - 1))  # the last class never has ground truth
            x, y = rng.integers(0, 60, size=2) / 2.0
            w, h = rng.integers(6, 30, size=2) / 2.0
            gt.append((c, float(x), float(y), float(x + w), float(y + h)))
        dt = []
        for b in gt:
            if rng.random() < 0.8:
                j = rng.integers(-4, 5, size=4) / 2.0
                dt.append((b[0], b[1] + j[0], b[2] + j[1], max(b[1] + j[0], b[3] + j[2]), max(b[2] + j[1], b[4] + j[3]),
                           float(rng.integers(1, 64)) / 64))
            if rng.random() < 0.3:
                dt.append(b + (float(rng.integers(1, 64)) / 64,))
        for _ in range(rng.integers(0, 3)):
            c = int(rng.integers(0, classes))
            x, y = rng.integers(0, 60, size=2) / 2.0
            w, h = rng.integers(6, 30, size=2) / 2.0
            dt.append((c, float(x), float(y), float(x + w), float(y + h), float(rng.integers(1, 64)) / 64))
        truth.append(gt)
        dets.append(dt)
    return truth, dets, classes


def java(truth, dets, classes):
    ap50, coco, map50, m = means(truth, dets, classes)
    f = lambda v: repr(float(v)) + 'f'
    print('    // tools/check_detection_metrics.py --java (seeded case): mAP50 %r, mAP %r' % (map50, m))
    print('    private static final List<List<Box>> TRUTH = List.of(')
    print(',\n'.join('            List.of(' + ', '.join('Box.truth(%d, %s, %s, %s, %s)' % (b[0], *map(f, b[1:])) for b in img) + ')' for img in truth) + ');')
    print('    private static final List<List<Box>> DETECTIONS = List.of(')
    print(',\n'.join('            List.of(' + ', '.join('new Box(%d, %s, %s, %s, %s, %s)' % (b[0], *map(f, b[1:])) for b in img) + ')' for img in dets) + ');')
    print('    private static final double[] AP50 = {%s};' % ', '.join('Double.NaN' if np.isnan(v) else repr(v) for v in ap50))
    print('    private static final double[] AP = {%s};' % ', '.join('Double.NaN' if c[0] < 0 else repr(float(c.mean())) for c in coco))
    print('    private static final double MAP50 = %r;' % map50)
    print('    private static final double MAP = %r;' % m)


if __name__ == '__main__':
    if '--java' in sys.argv:
        java(*random_case())
    else:
        hand_cases()
        t, d, k = random_case()
        print('seeded case: ', means(t, d, k))
