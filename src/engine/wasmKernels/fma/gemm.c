/*
 * LR Lab's FMA matrix multiply for WebAssembly relaxed SIMD (f32x4.relaxed_madd: one fused
 * multiply-add per lane where the CPU has FMA, as V8 compiles it on x86-64 with FMA3 and on arm64).
 * Built by scripts/build-fma.mjs with clang-16 for wasm32; the .wasm files next to this source are
 * committed (CI has no clang).
 *
 * The module owns no memory: it imports tfjs-backend-wasm's heap (shared in the threaded build),
 * reads the operands where tfjs keeps them and writes the output in place. It must therefore use
 * no stack and no data segment (the build script checks the output for both): every temporary is
 * a local, and packing buffers are passed in by the caller.
 *
 * C[m×n] (+)= A[m×k] · B[k×n], with A(i,p) at a[i*rsa + p*csa] and B(p,j) at b[p*rsb + j*csb], so
 * a transposed operand is only a change of strides. C is row-major with row stride ldc.
 * Blocking as in BLIS/Goto: panels of B (KC×NC) and A (MC×KC) are packed into `scratch` so that
 * the 4×8 micro-kernel streams both from contiguous memory: 8 accumulators + 2 B vectors + one
 * broadcast. (A 6×8 tile's 15 live vectors do not fit V8's allocatable x86-64 registers, one of the
 * 16 being its scratch: TurboFan spilled three accumulators to the stack on every step of k, and the
 * 4×8 tile ran twice as fast — 22 → 45–49 GFLOP/s on one AMD EPYC (Zen 4) core; a 5×8 tile spilled
 * too. The tile's shape changes no sum: each output still adds its products in k order.)
 *
 * A convolution's filter gradient (NHWC, filter [kh, kw, in, out]) is the same product,
 * im2col(x)ᵀ · dy, with the im2col matrix read straight from the input while packing (never
 * materialised). (The forward pass stays XNNPACK's: with this packing it was no faster.)
 */
#include <wasm_simd128.h>

typedef float f4 __attribute__((vector_size(16)));

#define MR 4
#define NR 8
#define KC 256
#define MC 72
#define NC 1024

#define EXPORT(name) __attribute__((export_name(#name)))
#define FMA(a, b, c) ((v128_t)__builtin_wasm_relaxed_madd_f32x4((f4)(a), (f4)(b), (f4)(c)))

static inline int min_i(int a, int b) { return a < b ? a : b; }
static inline int max_i(int a, int b) { return a > b ? a : b; }

/* Floats of scratch a call with these sizes needs (the caller allocates it on the heap). */
EXPORT(gemm_scratch_floats)
int gemm_scratch_floats(int m, int n, int k) {
  int kc = min_i(k, KC);
  int nc = min_i((n + NR - 1) / NR * NR, NC);
  int mc = min_i((m + MR - 1) / MR * MR, MC);
  return kc * nc + mc * kc;
}

/* B[p0.., j0..] (kc × nc) into panels of NR columns: bp[panel][p][c], zero-padded past nc. */
static void pack_b(const float *b, int rsb, int csb, int kc, int nc, float *bp) {
  for (int j = 0; j < nc; j += NR) {
    int nr = min_i(NR, nc - j);
    const float *src = b + j * csb;
    if (csb == 1 && nr == NR) {
      for (int p = 0; p < kc; p++) {
        wasm_v128_store(bp, wasm_v128_load(src + p * rsb));
        wasm_v128_store(bp + 4, wasm_v128_load(src + p * rsb + 4));
        bp += NR;
      }
    } else {
      for (int c = 0; c < NR; c++) {
        if (c < nr) {
          const float *col = src + c * csb;
          for (int p = 0; p < kc; p++) bp[p * NR + c] = col[p * rsb];
        } else {
          for (int p = 0; p < kc; p++) bp[p * NR + c] = 0.0f;
        }
      }
      bp += kc * NR;
    }
  }
}

/* A[i0.., p0..] (mc × kc) into panels of MR rows: ap[panel][p][r], zero-padded past mc. */
static void pack_a(const float *a, int rsa, int csa, int mc, int kc, float *ap) {
  for (int i = 0; i < mc; i += MR) {
    int mr = min_i(MR, mc - i);
    for (int r = 0; r < MR; r++) {
      if (r < mr) {
        const float *row = a + (i + r) * rsa;
        for (int p = 0; p < kc; p++) ap[p * MR + r] = row[p * csa];
      } else {
        for (int p = 0; p < kc; p++) ap[p * MR + r] = 0.0f;
      }
    }
    ap += kc * MR;
  }
}

/* A convolution's geometry: 16 ints in the heap, written by fmaGemm.ts. */
enum { G_N, G_H, G_W, G_C, G_KH, G_KW, G_SH, G_SW, G_DH, G_DW, G_PT, G_PL, G_OH, G_OW, G_CO };

static inline void zero_run(float *dst, int len) {
  for (int u = 0; u < len; u++) dst[u] = 0.0f;
}

/*
 * The transpose: rows [i0, i0+mc) are (ky, kx, ci), columns [p0, p0+kc) output pixels. The rows
 * of a panel that share (ky, kx) are consecutive channels, contiguous in NHWC x for each pixel,
 * so each pixel's part of the panel is one short contiguous copy (a whole panel row when the
 * channels allow: four floats) instead of one strided read per row. Pixels go in runs along one
 * output row, whose in-bounds part needs no checks. A pure copy: the product is unchanged.
 */
static void pack_im2col_t(const float *x, const int *g, int i0, int p0, int mc, int kc, float *ap) {
  const int h = g[G_H], w = g[G_W], c = g[G_C], kw = g[G_KW], oh = g[G_OH], ow = g[G_OW];
  const int sh = g[G_SH], sw = g[G_SW];
  for (int i = 0; i < mc; i += MR) {
    int mr = min_i(MR, mc - i);
    for (int r = mr; r < MR; r++)
      for (int p = 0; p < kc; p++) ap[p * MR + r] = 0.0f;
    for (int r0 = 0; r0 < mr;) {
      int q = i0 + i + r0;
      int ci = q % c, kx = (q / c) % kw, ky = q / (c * kw);
      int len = min_i(mr - r0, c - ci);
      int dy = ky * g[G_DH] - g[G_PT], dx = kx * g[G_DW] - g[G_PL];
      /* Output columns whose input column ox·sw + dx lies in [0, w). */
      int lo = dx >= 0 ? 0 : (-dx + sw - 1) / sw;
      int hi = w - dx <= 0 ? 0 : min_i(ow, (w - dx + sw - 1) / sw);
      if (hi < lo) hi = lo;
      int ox = p0 % ow, oy = (p0 / ow) % oh, b = p0 / (ow * oh);
      for (int p = 0; p < kc;) {
        int run = min_i(ow - ox, kc - p);
        int iy = oy * sh + dy;
        float *dst = ap + p * MR + r0;
        if (iy < 0 || iy >= h) {
          for (int t = 0; t < run; t++) zero_run(dst + t * MR, len);
        } else {
          const float *row = x + ((b * h + iy) * w) * c + ci;
          int end = ox + run;
          int a = min_i(max_i(lo, ox), end), z = max_i(min_i(hi, end), a);
          int t = 0;
          for (int o = ox; o < a; o++, t++) zero_run(dst + t * MR, len);
          const float *src = row + (a * sw + dx) * c;
          const int step = sw * c;
          float *d = dst + t * MR;
          if (len == MR) {
            /* The whole panel row from one tap: four contiguous floats per pixel. */
            for (int o = a; o < z; o++, src += step, d += MR) wasm_v128_store(d, wasm_v128_load(src));
          } else if (len == 1) {
            /* One channel of the tap (c = 1, or a panel's edge): a strided gather, kept tight. */
            for (int o = a; o < z; o++, src += step, d += MR) *d = *src;
          } else {
            for (int o = a; o < z; o++, src += step, d += MR)
              for (int u = 0; u < len; u++) d[u] = src[u];
          }
          t += z - a;
          for (int o = z; o < end; o++, t++) zero_run(dst + t * MR, len);
        }
        p += run;
        ox += run;
        if (ox == ow) {
          ox = 0;
          if (++oy == oh) {
            oy = 0;
            b++;
          }
        }
      }
      r0 += len;
    }
    ap += kc * MR;
  }
}

/* The first `n` (< 4) lanes of v to p. */
static inline void store_lanes(float *p, v128_t v, int n) {
  if (n > 0) p[0] = wasm_f32x4_extract_lane(v, 0);
  if (n > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (n > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

/* Adds the first `n` (≤ 4) lanes of v to p (constant lane indices: no stack). */
static inline void add_lanes(float *p, v128_t v, int n) {
  if (n > 0) p[0] += wasm_f32x4_extract_lane(v, 0);
  if (n > 1) p[1] += wasm_f32x4_extract_lane(v, 1);
  if (n > 2) p[2] += wasm_f32x4_extract_lane(v, 2);
  if (n > 3) p[3] += wasm_f32x4_extract_lane(v, 3);
}

/* One row of a tile: 8 values (or the first nr) stored or added to c. */
static inline void store_row(float *c, v128_t lo, v128_t hi, int nr, int accumulate) {
  if (nr == NR) {
    if (accumulate) {
      lo = wasm_f32x4_add(lo, wasm_v128_load(c));
      hi = wasm_f32x4_add(hi, wasm_v128_load(c + 4));
    }
    wasm_v128_store(c, lo);
    wasm_v128_store(c + 4, hi);
    return;
  }
  if (accumulate) {
    add_lanes(c, lo, min_i(nr, 4));
    if (nr > 4) add_lanes(c + 4, hi, nr - 4);
    return;
  }
  if (nr >= 4) {
    wasm_v128_store(c, lo);
    store_lanes(c + 4, hi, nr - 4);
  } else {
    store_lanes(c, lo, nr);
  }
}

/* The 4×8 micro-kernel: C tile (mr ≤ 4 rows, nr ≤ 8 columns) (+)= Apanel · Bpanel over kc. */
static void kernel_4x8(int kc, const float *ap, const float *bp, float *c, int ldc, int mr, int nr, int accumulate) {
  v128_t c0l = wasm_f32x4_splat(0), c0h = c0l, c1l = c0l, c1h = c0l, c2l = c0l, c2h = c0l, c3l = c0l, c3h = c0l;
  for (int p = 0; p < kc; p++) {
    v128_t bl = wasm_v128_load(bp);
    v128_t bh = wasm_v128_load(bp + 4);
    v128_t a;
    a = wasm_v128_load32_splat(ap + 0); c0l = FMA(a, bl, c0l); c0h = FMA(a, bh, c0h);
    a = wasm_v128_load32_splat(ap + 1); c1l = FMA(a, bl, c1l); c1h = FMA(a, bh, c1h);
    a = wasm_v128_load32_splat(ap + 2); c2l = FMA(a, bl, c2l); c2h = FMA(a, bh, c2h);
    a = wasm_v128_load32_splat(ap + 3); c3l = FMA(a, bl, c3l); c3h = FMA(a, bh, c3h);
    ap += MR;
    bp += NR;
  }
  store_row(c, c0l, c0h, nr, accumulate);
  if (mr > 1) store_row(c + ldc, c1l, c1h, nr, accumulate);
  if (mr > 2) store_row(c + 2 * ldc, c2l, c2h, nr, accumulate);
  if (mr > 3) store_row(c + 3 * ldc, c3l, c3h, nr, accumulate);
}

static void bias_activation(float *c, int m, int n, int ldc, const float *bias, int activation);

/* How the driver reads A: a strided matrix, or the transposed im2col matrix of a convolution. */
enum { A_MATRIX, A_IM2COL_T };

/*
 * C[m×n] (+)= A·B: A's rows start at row0 (im2col mode; a matrix is offset by the caller), B(p,j)
 * at b[p*rsb + j*csb]. Specialised per mode at compile time (always_inline, constant mode).
 */
static inline __attribute__((always_inline)) void drive(int mode, int m, int n, int k, const float *a, int rsa, int csa, const int *g, int row0, const float *b, int rsb, int csb, float *c, int ldc, float *scratch, int accumulate) {
  float *bp = scratch;
  float *ap = scratch + min_i(k, KC) * min_i((n + NR - 1) / NR * NR, NC);
  for (int jc = 0; jc < n; jc += NC) {
    int nc = min_i(NC, n - jc);
    for (int pc = 0; pc < k; pc += KC) {
      int kc = min_i(KC, k - pc);
      int acc = accumulate || pc > 0;
      pack_b(b + pc * rsb + jc * csb, rsb, csb, kc, nc, bp);
      for (int ic = 0; ic < m; ic += MC) {
        int mc = min_i(MC, m - ic);
        if (mode == A_MATRIX) pack_a(a + ic * rsa + pc * csa, rsa, csa, mc, kc, ap);
        else pack_im2col_t(a, g, row0 + ic, pc, mc, kc, ap);
        for (int jr = 0; jr < nc; jr += NR) {
          const float *bpanel = bp + jr * kc;
          for (int ir = 0; ir < mc; ir += MR) {
            kernel_4x8(kc, ap + ir * kc, bpanel, c + (ic + ir) * ldc + jc + jr, ldc, min_i(MR, mc - ir), min_i(NR, nc - jr), acc);
          }
        }
      }
    }
    if (k == 0 && !accumulate) {
      for (int i = 0; i < m; i++)
        for (int j = 0; j < nc; j++) c[i * ldc + jc + j] = 0.0f;
    }
  }
}

/*
 * C = A·B (accumulate = 0) or C += A·B (accumulate = 1), then the epilogue of `_FusedMatMul`:
 * `bias` (n values; 0 for none) is added and the activation applied (0 linear, 1 relu, 2 relu6).
 * `scratch` holds gemm_scratch_floats(m, n, k) floats. Callers split work between threads by rows
 * or columns (whole MR/NR panels: each output is summed in the same order whatever the split) and
 * give each thread its own scratch.
 */
EXPORT(gemm)
void gemm(int m, int n, int k, const float *a, int rsa, int csa, const float *b, int rsb, int csb, float *c, int ldc, float *scratch, int accumulate, const float *bias, int activation) {
  drive(A_MATRIX, m, n, k, a, rsa, csa, 0, 0, b, rsb, csb, c, ldc, scratch, accumulate);
  if (bias || activation) bias_activation(c, m, n, ldc, bias, activation);
}

/*
 * Rows [row0, row0+rows) ((ky, kx, ci)) of the filter gradient dw = im2col(x)ᵀ · dy, dy the
 * output gradient [b·oh·ow, co]. Scratch: gemm_scratch_floats(rows, co, b·oh·ow).
 */
EXPORT(conv2d_filter_grad)
void conv2d_filter_grad(const int *g, const float *x, const float *dy, float *dw, int row0, int rows, float *scratch) {
  const int co = g[G_CO];
  drive(A_IM2COL_T, rows, co, g[G_N] * g[G_OH] * g[G_OW], x, 0, 0, g, row0, dy, co, 1, dw + row0 * co, co, scratch, 0);
}

/*
 * out[j] = Σ_i x[i·cols + j]: the sum over every axis but the last (a bias gradient), each column
 * summed in row order as tfjs's own Sum does, four columns per SIMD lane group.
 */
EXPORT(column_sums)
void column_sums(const float *x, int rows, int cols, float *out) {
  int j = 0;
  for (; j + 16 <= cols; j += 16) {
    v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
    const float *p = x + j;
    for (int i = 0; i < rows; i++, p += cols) {
      s0 = wasm_f32x4_add(s0, wasm_v128_load(p));
      s1 = wasm_f32x4_add(s1, wasm_v128_load(p + 4));
      s2 = wasm_f32x4_add(s2, wasm_v128_load(p + 8));
      s3 = wasm_f32x4_add(s3, wasm_v128_load(p + 12));
    }
    wasm_v128_store(out + j, s0);
    wasm_v128_store(out + j + 4, s1);
    wasm_v128_store(out + j + 8, s2);
    wasm_v128_store(out + j + 12, s3);
  }
  for (; j + 4 <= cols; j += 4) {
    v128_t s = wasm_f32x4_splat(0.0f);
    const float *p = x + j;
    for (int i = 0; i < rows; i++, p += cols) s = wasm_f32x4_add(s, wasm_v128_load(p));
    wasm_v128_store(out + j, s);
  }
  for (; j < cols; j++) {
    float s = 0.0f;
    for (int i = 0; i < rows; i++) s += x[i * cols + j];
    out[j] = s;
  }
}

/* The epilogue: rows [0, m) of C (row stride ldc, n columns) get the bias, then the activation. */
static void bias_activation(float *c, int m, int n, int ldc, const float *bias, int activation) {
  v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t six = wasm_f32x4_splat(6.0f);
  for (int i = 0; i < m; i++) {
    float *row = c + i * ldc;
    int j = 0;
    for (; j + 4 <= n; j += 4) {
      v128_t v = wasm_v128_load(row + j);
      if (bias) v = wasm_f32x4_add(v, wasm_v128_load(bias + j));
      if (activation >= 1) v = wasm_f32x4_pmax(v, zero);
      if (activation == 2) v = wasm_f32x4_pmin(v, six);
      wasm_v128_store(row + j, v);
    }
    for (; j < n; j++) {
      float v = row[j];
      if (bias) v += bias[j];
      if (activation >= 1 && v < 0.0f) v = 0.0f; /* NaN stays NaN, as in tfjs */
      if (activation == 2 && v > 6.0f) v = 6.0f;
      row[j] = v;
    }
  }
}

/*
 * One SGD (or Nesterov) update of a parameter, in one pass instead of tfjs's four to six kernels
 * (each a pass over the parameter and a fresh tensor): with g' = g + wd·w where the parameter
 * decays (`decay`), v' = m·v + g', and w' = w − lr·v' (SGD) or w' = w − lr·(g' + m·v') (Nesterov).
 * Each product and sum is rounded as tfjs's separate Multiply/Add/Sub kernels round it (no fused
 * multiply-add here), so the result is the same to the bit. Outputs may not alias the inputs.
 */
EXPORT(sgd_update)
void sgd_update(const float *w, const float *v, const float *g, int n, float lr, float m, float wd, int decay, int nesterov, float *w_out, float *v_out) {
  v128_t vlr = wasm_f32x4_splat(lr), vm = wasm_f32x4_splat(m), vwd = wasm_f32x4_splat(wd);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t wi = wasm_v128_load(w + i);
    v128_t gi = wasm_v128_load(g + i);
    if (decay) gi = wasm_f32x4_add(gi, wasm_f32x4_mul(vwd, wi));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(vm, wasm_v128_load(v + i)), gi);
    v128_t u = nesterov ? wasm_f32x4_add(gi, wasm_f32x4_mul(vm, vi)) : vi;
    wasm_v128_store(v_out + i, vi);
    wasm_v128_store(w_out + i, wasm_f32x4_sub(wi, wasm_f32x4_mul(vlr, u)));
  }
  for (; i < n; i++) {
    float gi = g[i];
    if (decay) gi = gi + wd * w[i];
    float vi = m * v[i] + gi;
    float u = nesterov ? gi + m * vi : vi;
    v_out[i] = vi;
    w_out[i] = w[i] - lr * u;
  }
}

/*
 * One Adam (or AdamW) update of a parameter in one pass, rounded step by step as the optimizer's
 * tfjs ops round it (same values to the bit). `decay`: 0 none, 1 L2 (g' = g + wd·w), 2 decoupled
 * (w ← w·(1 − lr·wd) first). m' = b1·m + (1−b1)·g', v' = b2·v + (1−b2)·g'², and
 * w' = w − lr·((m'/c1) / (√(v'/c2) + eps)) with c1, c2 the bias corrections. The caller passes
 * 1−b1, 1−b2, c1 and c2 as tfjs's scalars hold them. Outputs may not alias the inputs.
 */
EXPORT(adam_update)
void adam_update(const float *w, const float *m, const float *v, const float *g, int n, float lr, float b1, float one_b1, float b2, float one_b2, float c1, float c2, float eps, int decay, float wd, float *w_out, float *m_out, float *v_out) {
  float shrink = 1.0f - lr * wd;
  v128_t vlr = wasm_f32x4_splat(lr), vb1 = wasm_f32x4_splat(b1), vob1 = wasm_f32x4_splat(one_b1);
  v128_t vb2 = wasm_f32x4_splat(b2), vob2 = wasm_f32x4_splat(one_b2), vc1 = wasm_f32x4_splat(c1), vc2 = wasm_f32x4_splat(c2);
  v128_t veps = wasm_f32x4_splat(eps), vwd = wasm_f32x4_splat(wd), vshrink = wasm_f32x4_splat(shrink);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t wi = wasm_v128_load(w + i);
    v128_t gi = wasm_v128_load(g + i);
    if (decay == 1) gi = wasm_f32x4_add(gi, wasm_f32x4_mul(vwd, wi));
    else if (decay == 2) wi = wasm_f32x4_mul(wi, vshrink);
    v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(vb1, wasm_v128_load(m + i)), wasm_f32x4_mul(vob1, gi));
    v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(vb2, wasm_v128_load(v + i)), wasm_f32x4_mul(vob2, wasm_f32x4_mul(gi, gi)));
    v128_t den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, vc2)), veps);
    v128_t step = wasm_f32x4_mul(vlr, wasm_f32x4_div(wasm_f32x4_div(mi, vc1), den));
    wasm_v128_store(m_out + i, mi);
    wasm_v128_store(v_out + i, vi);
    wasm_v128_store(w_out + i, wasm_f32x4_sub(wi, step));
  }
  for (; i < n; i++) {
    float wi = w[i];
    float gi = g[i];
    if (decay == 1) gi = gi + wd * wi;
    else if (decay == 2) wi = wi * shrink;
    float mi = b1 * m[i] + one_b1 * gi;
    float vi = b2 * v[i] + one_b2 * (gi * gi);
    float den = __builtin_sqrtf(vi / c2) + eps;
    m_out[i] = mi;
    v_out[i] = vi;
    w_out[i] = wi - lr * ((mi / c1) / den);
  }
}

/*
 * MaxPoolGrad (NHWC): each output's gradient goes to the first position of its window (row by
 * row) whose input equals the window's maximum y, four channels at a time; dx must be zeroed by
 * the caller and is accumulated into (windows may overlap). A lane whose y has no equal in its
 * window (NaN) takes the running maximum instead (first strictly greater, TensorFlow's rule for
 * NaN), as pool.ts's JavaScript loop does. geometry: batch, inH, inW, ch, outH, outW, strideH,
 * strideW, filterH, filterW, padTop, padLeft.
 */
static void max_pool_grad_lane(const float *x, float dyv, float *dx, int xb, int r0, int r1, int c0, int c1, int inW, int ch, int k) {
  int at = -1;
  float best = -__builtin_inff();
  for (int r = r0; r < r1; r++) {
    for (int c = c0; c < c1; c++) {
      int i = xb + (r * inW + c) * ch + k;
      float v = x[i];
      if (v > best || (at < 0 && v == best)) {
        best = v;
        at = i;
      }
    }
  }
  if (at >= 0) dx[at] += dyv;
}

EXPORT(max_pool_grad)
void max_pool_grad(const float *x, const float *y, const float *dy, float *dx, const int *geometry) {
  int batch = geometry[0], inH = geometry[1], inW = geometry[2], ch = geometry[3], outH = geometry[4], outW = geometry[5];
  int sh = geometry[6], sw = geometry[7], fh = geometry[8], fw = geometry[9], top = geometry[10], left = geometry[11];
  int total = batch * inH * inW * ch, z = 0;
  /* Windows that do not overlap (stride ≥ size, the usual 2×2/2) each own their positions: the
   * SIMD lanes store 0 + (dy or 0) there instead of adding into dx (one pass less over dx, the
   * same bits: 0 + -0 is +0 either way), and dx needs zeroing first only where no window reaches. */
  const int disjoint = sh >= fh && sw >= fw;
  /* (The scalar channel tail adds into dx: with one, dx is zeroed first too.) */
  const int covered = disjoint && ch % 4 == 0 && sh == fh && sw == fw && top <= 0 && left <= 0 && outH * sh - top >= inH && outW * sw - left >= inW;
  const v128_t zero4 = wasm_f32x4_splat(0.0f);
  if (!covered) {
    for (; z + 4 <= total; z += 4) wasm_v128_store(dx + z, zero4);
    for (; z < total; z++) dx[z] = 0.0f;
  }
  for (int b = 0; b < batch; b++) {
    int xb = b * inH * inW * ch;
    for (int oy = 0; oy < outH; oy++) {
      int r0 = oy * sh - top, r1 = r0 + fh;
      if (r0 < 0) r0 = 0;
      if (r1 > inH) r1 = inH;
      for (int ox = 0; ox < outW; ox++) {
        int c0 = ox * sw - left, c1 = c0 + fw;
        if (c0 < 0) c0 = 0;
        if (c1 > inW) c1 = inW;
        int d0 = ((b * outH + oy) * outW + ox) * ch;
        int k = 0;
        for (; k + 4 <= ch; k += 4) {
          v128_t m = wasm_v128_load(y + d0 + k);
          v128_t g = wasm_v128_load(dy + d0 + k);
          v128_t found = wasm_i32x4_splat(0);
          for (int r = r0; r < r1; r++) {
            for (int c = c0; c < c1; c++) {
              int i = xb + (r * inW + c) * ch + k;
              v128_t eq = wasm_v128_andnot(wasm_f32x4_eq(wasm_v128_load(x + i), m), found);
              /* Branch-free: where the maximum sits is data, a branch on it mispredicts. */
              wasm_v128_store(dx + i, wasm_f32x4_add(disjoint ? zero4 : wasm_v128_load(dx + i), wasm_v128_and(g, eq)));
              found = wasm_v128_or(found, eq);
            }
          }
          if (!wasm_i32x4_all_true(found)) {
            if (wasm_i32x4_extract_lane(found, 0) == 0) max_pool_grad_lane(x, dy[d0 + k], dx, xb, r0, r1, c0, c1, inW, ch, k);
            if (wasm_i32x4_extract_lane(found, 1) == 0) max_pool_grad_lane(x, dy[d0 + k + 1], dx, xb, r0, r1, c0, c1, inW, ch, k + 1);
            if (wasm_i32x4_extract_lane(found, 2) == 0) max_pool_grad_lane(x, dy[d0 + k + 2], dx, xb, r0, r1, c0, c1, inW, ch, k + 2);
            if (wasm_i32x4_extract_lane(found, 3) == 0) max_pool_grad_lane(x, dy[d0 + k + 3], dx, xb, r0, r1, c0, c1, inW, ch, k + 3);
          }
        }
        for (; k < ch; k++) {
          float mv = y[d0 + k];
          int at = -1;
          for (int r = r0; r < r1 && at < 0; r++) {
            for (int c = c0; c < c1; c++) {
              int i = xb + (r * inW + c) * ch + k;
              if (x[i] == mv) {
                at = i;
                break;
              }
            }
          }
          if (at >= 0) dx[at] += dy[d0 + k];
          else max_pool_grad_lane(x, dy[d0 + k], dx, xb, r0, r1, c0, c1, inW, ch, k);
        }
      }
    }
  }
}

/* out[i·cols + j] = x[i·cols + j] + row[j]: a bias added to every row (a layer's bias over a batch
 * of activations), one SIMD pass, each sum rounded as tfjs's Add rounds it. */
EXPORT(add_row)
void add_row(const float *x, const float *row, int rows, int cols, float *out) {
  for (int i = 0; i < rows; i++, x += cols, out += cols) {
    int j = 0;
    for (; j + 4 <= cols; j += 4) wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(x + j), wasm_v128_load(row + j)));
    for (; j < cols; j++) out[j] = x[j] + row[j];
  }
}

/* out[i] = dy[i] · step(x[i]), step(x) = 1 where x > 0, 0 where not, NaN where x is NaN: the
 * gradient of Relu as tfjs computes it (mul(dy, step(x))), each product rounded as Multiply rounds
 * it (dy · 1 is dy; dy · 0 keeps dy's sign), in one pass instead of Step's and Multiply's two. */
EXPORT(relu_grad)
void relu_grad(const float *x, const float *dy, int n, float *out) {
  const v128_t zero = wasm_f32x4_splat(0.0f), one = wasm_f32x4_splat(1.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t xv = wasm_v128_load(x + i);
    v128_t step = wasm_v128_bitselect(one, zero, wasm_f32x4_gt(xv, zero));
    step = wasm_v128_bitselect(xv, step, wasm_f32x4_ne(xv, xv));
    wasm_v128_store(out + i, wasm_f32x4_mul(wasm_v128_load(dy + i), step));
  }
  for (; i < n; i++) out[i] = dy[i] * (x[i] != x[i] ? x[i] : x[i] > 0.0f ? 1.0f : 0.0f);
}
