/* Media facts and thumbnails with the ffmpeg libraries (media_probe.h). */
#include "schedule/media_probe.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/log.h>
#include <libswscale/swscale.h>

#include "core/alloc.h"
#include "core/timeutil.h"

#define PACKETS_MAX 2000 /* packets read looking for the first picture */

/* libav's allocations failing: we are an app (STYLE.md 5). */
static void oom(void)
{
    fputs("mediadash: out of memory (libav)\n", stderr);
    abort();
}

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

static void quiet(void)
{
    av_log_set_level(AV_LOG_QUIET); /* errors come back through err */
}

/* The demuxer for a sniffed type: libavformat never guesses. */
static const AVInputFormat *demuxer_of(const struct media_type *t)
{
    static const struct {
        const char *ext, *demuxer;
    } map[] = {
        {"mp4", "mov"},        {"mov", "mov"},       {"webm", "matroska"},
        {"jpg", "jpeg_pipe"},  {"png", "png_pipe"},  {"webp", "webp_pipe"},
    };
    for (size_t i = 0; t != NULL && i < sizeof map / sizeof *map; i++)
        if (strcmp(t->ext, map[i].ext) == 0)
            return av_find_input_format(map[i].demuxer);
    return NULL;
}

static int past_deadline(void *ud)
{
    return time_mono_ms() > *(const int64_t *)ud;
}

static void av_why(struct buf *err, const char *what, int code)
{
    char text[AV_ERROR_MAX_STRING_SIZE] = "";
    av_strerror(code, text, sizeof text);
    buf_setf(err, "%s (%s)", what, text);
}

/* Open path as type t with the limits of media_probe.h; *deadline must
 * outlive the context. */
static enum err open_input(const char *path, const struct media_type *t,
                           int64_t *deadline, AVFormatContext **out,
                           struct buf *err)
{
    const AVInputFormat *fmt = demuxer_of(t);
    AVFormatContext *ctx;
    AVDictionary *opts = NULL;
    int r;

    pthread_once(&quiet_once, quiet);
    *out = NULL;
    if (fmt == NULL) {
        buf_setf(err, "not a video or image type this server reads");
        return ERR_UNSUPPORTED;
    }
    ctx = avformat_alloc_context();
    if (ctx == NULL)
        oom();
    *deadline = time_mono_ms() + MEDIA_PROBE_TIMEOUT_MS;
    ctx->interrupt_callback.callback = past_deadline;
    ctx->interrupt_callback.opaque = deadline;
    ctx->probesize = MEDIA_PROBE_BYTES;
    ctx->max_analyze_duration = 10 * (int64_t)AV_TIME_BASE;
    av_dict_set(&opts, "protocol_whitelist", "file", 0);
    r = avformat_open_input(&ctx, path, fmt, &opts);
    av_dict_free(&opts);
    if (r == 0)
        r = avformat_find_stream_info(ctx, NULL);
    if (r < 0) {
        avformat_close_input(&ctx);
        if (time_mono_ms() > *deadline) {
            buf_setf(err, "reading the file took over %d s",
                     MEDIA_PROBE_TIMEOUT_MS / 1000);
            return ERR_BUSY;
        }
        av_why(err, "not a readable media file", r);
        return r == AVERROR(ENOENT) || r == AVERROR(EACCES) ? ERR_IO
                                                           : ERR_UNSUPPORTED;
    }
    *out = ctx;
    return ERR_OK;
}

void media_facts_free(struct media_facts *f)
{
    if (f == NULL)
        return;
    free(f->container);
    free(f->video_codec);
    free(f->audio_codec);
    *f = (struct media_facts){.duration_ms = -1};
}

static int64_t duration_ms_of(const AVFormatContext *ctx, const AVStream *v)
{
    if (ctx->duration != AV_NOPTS_VALUE && ctx->duration > 0)
        return av_rescale(ctx->duration, 1000, AV_TIME_BASE);
    if (v->duration != AV_NOPTS_VALUE && v->duration > 0)
        return av_rescale_q(v->duration, v->time_base, (AVRational){1, 1000});
    return -1;
}

enum err media_probe(const char *path, const struct media_type *t,
                     struct media_facts *out, struct buf *err)
{
    AVFormatContext *ctx = NULL;
    const AVCodecParameters *vp;
    int64_t deadline;
    enum err rc;
    int vi, ai;

    *out = (struct media_facts){.duration_ms = -1};
    rc = open_input(path, t, &deadline, &ctx, err);
    if (rc != ERR_OK)
        return rc;
    vi = av_find_best_stream(ctx, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    vp = vi >= 0 ? ctx->streams[vi]->codecpar : NULL;
    if (vp == NULL || vp->width <= 0 || vp->height <= 0) {
        buf_setf(err, "the file has no picture (no video stream with a size)");
        rc = ERR_UNSUPPORTED;
        goto out;
    }
    ai = av_find_best_stream(ctx, AVMEDIA_TYPE_AUDIO, -1, vi, NULL, 0);
    out->container = xstrdup(ctx->iformat->name);
    out->video_codec = xstrdup(avcodec_get_name(vp->codec_id));
    if (ai >= 0)
        out->audio_codec =
            xstrdup(avcodec_get_name(ctx->streams[ai]->codecpar->codec_id));
    out->width = vp->width;
    out->height = vp->height;
    out->still = strncmp(t->content_type, "image/", 6) == 0;
    out->duration_ms = out->still ? -1 : duration_ms_of(ctx, ctx->streams[vi]);
out:
    avformat_close_input(&ctx);
    return rc;
}

/* ---- thumbnails ------------------------------------------------------ */

struct thumb {
    AVFormatContext *fmt;
    AVCodecContext *dec, *enc;
    AVPacket *pkt;
    AVFrame *frame, *scaled;
    struct SwsContext *sws;
    int vi;
    int64_t deadline;
};

static void thumb_free(struct thumb *th)
{
    sws_freeContext(th->sws);
    av_frame_free(&th->frame);
    av_frame_free(&th->scaled);
    av_packet_free(&th->pkt);
    avcodec_free_context(&th->dec);
    avcodec_free_context(&th->enc);
    avformat_close_input(&th->fmt);
}

static enum err open_decoder(struct thumb *th, struct buf *err)
{
    const AVCodecParameters *par;
    const AVCodec *c;

    th->vi = av_find_best_stream(th->fmt, AVMEDIA_TYPE_VIDEO, -1, -1, NULL, 0);
    par = th->vi >= 0 ? th->fmt->streams[th->vi]->codecpar : NULL;
    c = par ? avcodec_find_decoder(par->codec_id) : NULL;
    if (c == NULL) {
        buf_setf(err, "no decoder for the file's picture");
        return ERR_UNSUPPORTED;
    }
    th->dec = avcodec_alloc_context3(c);
    if (th->dec == NULL)
        oom();
    th->dec->thread_count = 1;
    th->dec->max_pixels = MEDIA_PROBE_PIXELS_MAX;
    if (avcodec_parameters_to_context(th->dec, par) < 0 ||
        avcodec_open2(th->dec, c, NULL) < 0) {
        buf_setf(err, "cannot decode the file's picture");
        return ERR_UNSUPPORTED;
    }
    th->pkt = av_packet_alloc();
    th->frame = av_frame_alloc();
    if (th->pkt == NULL || th->frame == NULL)
        oom();
    return ERR_OK;
}

/* Read packets of the video stream until one picture decodes (or the
 * file, the packet budget or the time runs out). */
static enum err first_frame(struct thumb *th, struct buf *err)
{
    int r = 0;

    for (int n = 0; n < PACKETS_MAX; n++) {
        r = av_read_frame(th->fmt, th->pkt);
        if (r < 0) {
            avcodec_send_packet(th->dec, NULL); /* drain what is held */
            break;
        }
        if (th->pkt->stream_index == th->vi)
            avcodec_send_packet(th->dec, th->pkt);
        av_packet_unref(th->pkt);
        if (avcodec_receive_frame(th->dec, th->frame) == 0)
            return ERR_OK;
        if (time_mono_ms() > th->deadline)
            break;
    }
    if (avcodec_receive_frame(th->dec, th->frame) == 0)
        return ERR_OK;
    if (time_mono_ms() > th->deadline) {
        buf_setf(err, "decoding took over %d s",
                 MEDIA_PROBE_TIMEOUT_MS / 1000);
        return ERR_BUSY;
    }
    buf_setf(err, "no picture could be decoded from the file");
    return ERR_UNSUPPORTED;
}

/* The thumbnail's size: the longer side at most MEDIA_THUMB_SIDE, both
 * even (4:2:0) and at least 2. */
static void thumb_size(int w, int h, int *tw, int *th)
{
    int longer = w > h ? w : h;
    int side = longer < MEDIA_THUMB_SIDE ? longer : MEDIA_THUMB_SIDE;

    *tw = (int)((int64_t)w * side / longer) & ~1;
    *th = (int)((int64_t)h * side / longer) & ~1;
    if (*tw < 2)
        *tw = 2;
    if (*th < 2)
        *th = 2;
}

static enum err open_encoder(struct thumb *th, struct buf *err)
{
    const AVCodec *c = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    int w, h;

    thumb_size(th->frame->width, th->frame->height, &w, &h);
    th->enc = c ? avcodec_alloc_context3(c) : NULL;
    th->scaled = av_frame_alloc();
    if (c == NULL || th->enc == NULL || th->scaled == NULL) {
        buf_setf(err, "this build of libavcodec has no JPEG encoder");
        return ERR_UNSUPPORTED;
    }
    th->enc->width = w;
    th->enc->height = h;
    th->enc->pix_fmt = AV_PIX_FMT_YUVJ420P;
    th->enc->time_base = (AVRational){1, 25};
    th->enc->thread_count = 1;
    th->scaled->format = AV_PIX_FMT_YUVJ420P;
    th->scaled->width = w;
    th->scaled->height = h;
    th->sws = sws_getContext(th->frame->width, th->frame->height,
                             (enum AVPixelFormat)th->frame->format, w, h,
                             AV_PIX_FMT_YUVJ420P, SWS_BILINEAR, NULL, NULL,
                             NULL);
    if (th->sws == NULL || avcodec_open2(th->enc, c, NULL) < 0 ||
        av_frame_get_buffer(th->scaled, 0) < 0) {
        buf_setf(err, "cannot scale or encode the picture");
        return ERR_UNSUPPORTED;
    }
    return ERR_OK;
}

static bool write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Encode th->scaled and write the JPEG to out_path via a temporary file
 * beside it. */
static enum err write_jpeg(struct thumb *th, const char *out_path,
                           struct buf *err)
{
    struct buf tmp;
    enum err rc = ERR_UNSUPPORTED;
    int fd = -1;

    buf_init(&tmp, 8192);
    av_packet_unref(th->pkt);
    if (avcodec_send_frame(th->enc, th->scaled) < 0 ||
        avcodec_receive_packet(th->enc, th->pkt) < 0) {
        buf_setf(err, "encoding the thumbnail failed");
        goto out;
    }
    rc = ERR_IO;
    if (buf_printf(&tmp, "%s.tmp-XXXXXX", out_path) == ERR_OK)
        fd = mkstemp(tmp.data);
    if (fd < 0 || !write_all(fd, th->pkt->data, (size_t)th->pkt->size) ||
        fchmod(fd, 0600) != 0 || close(fd) != 0 ||
        rename(buf_cstr(&tmp), out_path) != 0) {
        buf_setf(err, "writing %s: %s", out_path, strerror(errno));
        if (fd >= 0)
            unlink(buf_cstr(&tmp));
        goto out;
    }
    rc = ERR_OK;
out:
    buf_free(&tmp);
    return rc;
}

enum err media_thumb(const char *path, const struct media_type *t,
                     const char *out_path, struct buf *err)
{
    struct thumb th = {0};
    enum err rc;

    rc = open_input(path, t, &th.deadline, &th.fmt, err);
    if (rc == ERR_OK)
        rc = open_decoder(&th, err);
    if (rc == ERR_OK)
        rc = first_frame(&th, err);
    if (rc == ERR_OK)
        rc = open_encoder(&th, err);
    if (rc == ERR_OK) {
        sws_scale(th.sws, (const uint8_t *const *)th.frame->data,
                  th.frame->linesize, 0, th.frame->height, th.scaled->data,
                  th.scaled->linesize);
        rc = write_jpeg(&th, out_path, err);
    }
    thumb_free(&th);
    return rc;
}
