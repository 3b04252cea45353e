/* sgemm on the shapes autograd-viz multiplies, through any CBLAS library
 * loaded at run time (OpenBLAS, BLIS, ...): time per product, and the
 * largest relative difference from a double-precision product.
 *
 *   cc -O2 -o sgemm_bench sgemm_bench.c -ldl
 *   ./sgemm_bench /usr/lib/x86_64-linux-gnu/libopenblas.so.0 THREADS
 *
 * bench/blas/compare.py runs it for every library and thread count beside
 * PyTorch's torch.mm on the same shapes, and prints docs/PERFORMANCE.md's
 * table. */
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

enum { RowMajor = 101, NoTrans = 111, Trans = 112 };
typedef void (*sgemm_t)(int, int, int, int, int, int, float, const float *, int, const float *, int, float, float *, int);

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* A deterministic spread of values in [-1, 1). */
static unsigned long long state = 88172645463325252ULL;
static float next(void) {
    state ^= state << 13; state ^= state >> 7; state ^= state << 17;
    return (float)((state >> 11) * (1.0 / 9007199254740992.0) * 2.0 - 1.0);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s LIBRARY THREADS\n", argv[0]); return 2; }
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "%s\n", dlerror()); return 2; }
    sgemm_t sgemm = (sgemm_t)dlsym(lib, "cblas_sgemm");
    if (!sgemm) { fprintf(stderr, "no cblas_sgemm in %s\n", argv[1]); return 2; }
    int threads = atoi(argv[2]);
    void (*set_openblas)(int) = (void (*)(int))dlsym(lib, "openblas_set_num_threads");
    void (*set_blis)(long) = (void (*)(long))dlsym(lib, "bli_thread_set_num_threads");
    if (set_openblas) set_openblas(threads);
    if (set_blis) set_blis(threads);
    /* name, M, N, K, transA, transB */
    struct { const char *name; int m, n, k, ta, tb; } shapes[] = {
        {"mlp fc1 forward 64x784 @ (256x784)^T", 64, 256, 784, NoTrans, Trans},
        {"mlp fc1 weight grad (64x256)^T @ 64x784", 256, 784, 64, Trans, NoTrans},
        {"mlp fc2 forward 64x256 @ (10x256)^T", 64, 10, 256, NoTrans, Trans},
        {"mlp fc2 input grad 64x10 @ 10x256", 64, 256, 10, NoTrans, NoTrans},
        {"rnn 20x20 @ 20x1", 20, 1, 20, NoTrans, NoTrans},
        {"rnn 20x10 @ 10x1", 20, 1, 10, NoTrans, NoTrans},
        {"conv-as-gemm 6x25 @ 25x576", 6, 576, 25, NoTrans, NoTrans},
        {"conv-as-gemm 16x150 @ 150x64", 16, 64, 150, NoTrans, NoTrans},
    };
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; s++) {
        int m = shapes[s].m, n = shapes[s].n, k = shapes[s].k, ta = shapes[s].ta, tb = shapes[s].tb;
        float *a = malloc(sizeof(float) * m * k), *b = malloc(sizeof(float) * k * n), *c = malloc(sizeof(float) * m * n);
        for (int i = 0; i < m * k; i++) a[i] = next();
        for (int i = 0; i < k * n; i++) b[i] = next();
        int lda = ta == NoTrans ? k : m, ldb = tb == NoTrans ? n : k;
        sgemm(RowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n);
        double worst = 0;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double exact = 0, scale = 0;
                for (int p = 0; p < k; p++) {
                    double x = ta == NoTrans ? a[i * k + p] : a[p * m + i];
                    double y = tb == NoTrans ? b[p * n + j] : b[j * k + p];
                    exact += x * y;
                    scale += fabs(x * y);
                }
                double err = fabs(c[i * n + j] - exact) / (scale > 0 ? scale : 1);
                if (err > worst) worst = err;
            }
        /* Enough repetitions for about 0.2 s, best of 5 rounds. */
        long reps = 1;
        for (;;) {
            double t0 = now();
            for (long r = 0; r < reps; r++) sgemm(RowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n);
            if (now() - t0 > 0.04) break;
            reps *= 2;
        }
        double best = 1e9;
        for (int round = 0; round < 5; round++) {
            double t0 = now();
            for (long r = 0; r < reps; r++) sgemm(RowMajor, ta, tb, m, n, k, 1.0f, a, lda, b, ldb, 0.0f, c, n);
            double per = (now() - t0) / reps;
            if (per < best) best = per;
        }
        printf("%s\t%.3f\t%.2e\n", shapes[s].name, best * 1e6, worst);
        free(a); free(b); free(c);
    }
    return 0;
}
