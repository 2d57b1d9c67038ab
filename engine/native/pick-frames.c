/*
 * pick-frames: the decoded frames that answer requested times, and only those, as raw video in NUT
 * on stdout, for an ffmpeg that scales and encodes them (engine/src/native/picker-frames.ts).
 *
 *   pick-frames INPUT FORMATS SEEK:THRESHOLD ...
 *
 * INPUT is a file: URL, FORMATS the demuxers it may be opened with (the probe's). Each pair is in microseconds on the input's own timeline (ffmpeg's -copyts timeline): where to
 * seek for a target (its keyframe, from the packet index) and the target itself. A target's answer
 * is the first frame whose time is at or after THRESHOLD. Pairs are ascending.
 *
 * What the ffmpeg command line cannot do, and why this exists: the decision is made per packet,
 * before decoding, from the packets' times. A packet that answers no target and that no other
 * frame references (a non-reference B-frame) is not decoded at all (AVDISCARD_NONREF); decoding
 * stops at the last answer; the next target's keyframe is reached by a seek within the one open
 * input, with no new process and no reopened file.
 *
 * A packet's fate is decided once a later packet's decode time reaches its presentation time: no
 * frame still to come can then be shown before it, so whether it is the first at or after a
 * threshold is known. Written frames are exact; a frame the decoder did not give back (damage) ends
 * the run with status 3, after the exact frames before it, and the caller answers the rest its
 * plain way.
 */
#include <inttypes.h>
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOOKAHEAD_NO_DTS 32
#define MAX_QUEUE 4096

typedef struct {
  int64_t seek_us;
  int64_t thr_us;
} Target;

typedef struct {
  AVPacket *pkt;
  double t; /* presentation time, seconds: what a select filter compares */
  int answer; /* claimed by a target */
} Queued;

static AVFormatContext *in;
static AVCodecContext *dec;
static AVStream *vs;
static int vi = -1;
static AVFormatContext *out;
static AVStream *os;
static Target *targets;
static int ntargets;
static int next_target; /* first target not yet given its answer packet */
static Queued queue[MAX_QUEUE];
static int qlen;
/* Presentation times of answer packets sent to the decoder, not yet received back. */
static double pending[MAX_QUEUE];
static int npending;
static int64_t frames_written;
static int read_since_seek;
static int64_t sent_needed, sent_other, dropped;

static void die(int code, const char *what, int err) {
  char buf[256] = "";
  if (err) av_strerror(err, buf, sizeof buf);
  fprintf(stderr, "pick-frames: %s%s%s\n", what, err ? ": " : "", buf);
  exit(code);
}

static double thr_seconds(const Target *t) { return (double)t->thr_us / 1e6; }

static void write_frame(AVFrame *f) {
  if (!out) {
    if (avformat_alloc_output_context2(&out, NULL, "nut", NULL) < 0) die(2, "no NUT muxer", 0);
    os = avformat_new_stream(out, NULL);
    os->time_base = vs->time_base;
    os->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
    os->codecpar->codec_id = AV_CODEC_ID_RAWVIDEO;
    os->codecpar->format = f->format;
    /* NUT names a raw picture's layout by its tag only. */
    os->codecpar->codec_tag = avcodec_pix_fmt_to_codec_tag(f->format);
    if (!os->codecpar->codec_tag) die(3, "a picture format NUT cannot name", 0);
    os->codecpar->width = f->width;
    os->codecpar->height = f->height;
    os->codecpar->sample_aspect_ratio = f->sample_aspect_ratio;
    os->codecpar->color_range = f->color_range;
    os->codecpar->color_space = f->colorspace;
    os->codecpar->color_primaries = f->color_primaries;
    os->codecpar->color_trc = f->color_trc;
    int r = avio_open(&out->pb, "pipe:1", AVIO_FLAG_WRITE);
    if (r < 0) die(2, "stdout", r);
    r = avformat_write_header(out, NULL);
    if (r < 0) die(2, "NUT header", r);
  }
  if (f->format != os->codecpar->format || f->width != os->codecpar->width || f->height != os->codecpar->height)
    die(3, "the picture format changed mid-stream", 0);
  int size = av_image_get_buffer_size(f->format, f->width, f->height, 1);
  AVPacket *p = av_packet_alloc();
  if (size < 0 || av_new_packet(p, size) < 0) die(2, "out of memory", 0);
  av_image_copy_to_buffer(p->data, size, (const uint8_t *const *)f->data, f->linesize, f->format, f->width,
                          f->height, 1);
  p->pts = p->dts = f->best_effort_timestamp;
  p->stream_index = 0;
  p->flags |= AV_PKT_FLAG_KEY;
  av_packet_rescale_ts(p, vs->time_base, os->time_base);
  int r = av_interleaved_write_frame(out, p);
  av_packet_free(&p);
  if (r < 0) die(4, "stdout closed", r);
  frames_written++;
}

/* Frames back from the decoder: answers are written, in presentation order; anything else is dropped. */
static void receive(AVFrame *f) {
  for (;;) {
    int r = avcodec_receive_frame(dec, f);
    if (r == AVERROR(EAGAIN) || r == AVERROR_EOF) return;
    if (r < 0) die(3, "decoding", r);
    double t = f->best_effort_timestamp == AV_NOPTS_VALUE ? -1e300 : f->best_effort_timestamp * av_q2d(vs->time_base);
    int hit = -1;
    for (int i = 0; i < npending; i++)
      if (pending[i] == t) hit = i;
    if (hit >= 0) {
      /* An earlier answer the decoder never gave back: this one would be taken for it. */
      for (int i = 0; i < npending; i++)
        if (pending[i] < t) die(3, "an answering frame was not decoded", 0);
      write_frame(f);
      pending[hit] = pending[--npending];
    }
    av_frame_unref(f);
  }
}

static void decode(AVPacket *p, int needed, AVFrame *f) {
  dec->skip_frame = needed ? AVDISCARD_DEFAULT : AVDISCARD_NONREF;
  if (needed) sent_needed++;
  else sent_other++;
  int r;
  /* A full output queue takes the packet once its frames are out. */
  while ((r = avcodec_send_packet(dec, p)) == AVERROR(EAGAIN)) receive(f);
  /* As ffmpeg -xerror: a damaged packet ends the run; the command line then fails the job with its own diagnosis. */
  if (r < 0) die(3, "decoding", r);
  receive(f);
}

/* Drain what the decoder holds (its reorder delay) and make it ready for a seek. */
static void drain(AVFrame *f) {
  avcodec_send_packet(dec, NULL);
  receive(f);
  if (npending > 0) die(3, "an answering frame was not decoded", 0);
  avcodec_flush_buffers(dec);
}

/*
 * Gives targets their answer packet: the first shown at or after the target among the queued ones,
 * once every packet shown before it has been read (it lies before `horizon`, or the input ended).
 */
static void claim(double horizon, int eof) {
  while (next_target < ntargets) {
    double thr = thr_seconds(&targets[next_target]);
    int best = -1;
    for (int i = 0; i < qlen; i++)
      if (queue[i].t >= thr && (best < 0 || queue[i].t < queue[best].t)) best = i;
    if (best < 0) {
      if (eof) next_target = ntargets; /* nothing at or after it: the stream ends first */
      return;
    }
    if (!eof && queue[best].t > horizon) return;
    queue[best].answer = 1;
    /* This target, and the later ones the same frame answers. */
    while (next_target < ntargets && thr_seconds(&targets[next_target]) <= queue[best].t) next_target++;
  }
}

static void enqueue(AVPacket *p) {
  if (p->stream_index == vi && p->pts != AV_NOPTS_VALUE) {
    if (qlen == MAX_QUEUE) die(3, "too many frames reordered", 0);
    queue[qlen].pkt = av_packet_clone(p);
    queue[qlen].t = p->pts * av_q2d(vs->time_base);
    queue[qlen].answer = 0;
    qlen++;
    read_since_seek++;
  }
  av_packet_unref(p);
}

/* Presentation time before which every packet has been read: the last decode time, or (no decode
 * times, e.g. Matroska) the earliest shown of the last LOOKAHEAD_NO_DTS packets. */
static double horizon_now(void) {
  if (qlen == 0) return -1e300;
  AVPacket *last = queue[qlen - 1].pkt;
  if (last->dts != AV_NOPTS_VALUE) return last->dts * av_q2d(vs->time_base);
  if (read_since_seek < LOOKAHEAD_NO_DTS || qlen < LOOKAHEAD_NO_DTS) return -1e300;
  double h = 1e300;
  for (int i = qlen - LOOKAHEAD_NO_DTS; i < qlen; i++)
    if (queue[i].t < h) h = queue[i].t;
  return h;
}

/* Seeks to a keyframe shown at or before the target, stepping back if the index put it later; its packet is queued. */
static void seek_before(const Target *t, AVPacket *pkt) {
  AVRational us = {1, 1000000};
  int64_t seek_us = t->seek_us;
  for (int attempt = 0;; attempt++) {
    int64_t ts = av_rescale_q_rnd(seek_us, us, vs->time_base, AV_ROUND_DOWN);
    /* As ffmpeg's -ss seeks: the closest keyframe at or before ts. */
    int r = avformat_seek_file(in, -1, INT64_MIN, seek_us, seek_us, 0);
    if (r < 0) die(3, "seeking", r);
    int got = 0;
    while ((r = av_read_frame(in, pkt)) >= 0) {
      if (pkt->stream_index == vi && pkt->pts != AV_NOPTS_VALUE) {
        got = 1;
        break;
      }
      av_packet_unref(pkt);
    }
    if (!got) die(3, "nothing after the seek", r);
    double shown = pkt->pts * av_q2d(vs->time_base);
    /* At the stream's start nothing is shown earlier, whatever the target. */
    int64_t first = vs->start_time == AV_NOPTS_VALUE ? 0 : vs->start_time;
    /* The caller's keyframe (from the packet index) is the one before the target, to the microsecond. */
    int at_hint = attempt == 0 && av_rescale_q(pkt->pts, vs->time_base, us) <= t->seek_us;
    if ((pkt->flags & AV_PKT_FLAG_KEY) && (shown <= thr_seconds(t) || at_hint || ts <= first)) break;
    av_packet_unref(pkt);
    if (attempt == 8) die(3, "no keyframe before the target", 0);
    seek_us -= (int64_t)1000000 << attempt;
  }
  read_since_seek = 0;
  if (getenv("PICK_DEBUG")) fprintf(stderr, "seek %f landed %f sent so far %" PRId64 "\n", t->seek_us / 1e6, pkt->pts * av_q2d(vs->time_base), sent_other);
  enqueue(pkt);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: pick-frames INPUT FORMATS SEEK_US:THRESHOLD_US ...\n");
    return 2;
  }
  av_log_set_level(AV_LOG_ERROR);
  ntargets = argc - 3;
  targets = calloc((size_t)ntargets, sizeof *targets);
  for (int i = 0; i < ntargets; i++)
    if (sscanf(argv[i + 3], "%" SCNd64 ":%" SCNd64, &targets[i].seek_us, &targets[i].thr_us) != 2)
      die(2, "a pair is not SEEK_US:THRESHOLD_US", 0);

  AVDictionary *opts = NULL;
  av_dict_set(&opts, "protocol_whitelist", "file", 0);
  av_dict_set(&opts, "format_whitelist", argv[2], 0);
  int r = avformat_open_input(&in, argv[1], NULL, &opts);
  av_dict_free(&opts);
  if (r < 0) die(2, "opening the input", r);
  r = avformat_find_stream_info(in, NULL);
  if (r < 0) die(2, "reading the streams", r);
  for (unsigned i = 0; i < in->nb_streams; i++)
    if (in->streams[i]->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
      vi = (int)i;
      break;
    }
  if (vi < 0) die(2, "no video stream", 0);
  vs = in->streams[vi];
  for (unsigned i = 0; i < in->nb_streams; i++)
    if ((int)i != vi) in->streams[i]->discard = AVDISCARD_ALL;
  const AVCodec *codec = avcodec_find_decoder(vs->codecpar->codec_id);
  if (!codec) die(2, "no decoder", 0);
  dec = avcodec_alloc_context3(codec);
  avcodec_parameters_to_context(dec, vs->codecpar);
  dec->pkt_timebase = vs->time_base;
  /* One thread: the caller runs a process per core, and per-packet skipping needs the packet's own decode. */
  dec->thread_count = 1;
  r = avcodec_open2(dec, codec, NULL);
  if (r < 0) die(2, "opening the decoder", r);

  AVPacket *pkt = av_packet_alloc();
  AVFrame *frame = av_frame_alloc();
  int eof = 0;
  while (next_target < ntargets && !eof) {
    const int64_t interval = targets[next_target].seek_us;
    seek_before(&targets[next_target], pkt);
    for (;;) {
      claim(horizon_now(), eof);
      /* The next target is answered further on in this keyframe interval: keep decoding towards it. */
      const int onward = next_target < ntargets && targets[next_target].seek_us <= interval;
      while (qlen > 0) {
        Queued *q = &queue[0];
        int later = 0;
        for (int i = 1; i < qlen; i++) later |= queue[i].answer;
        if (!q->answer && !eof && next_target < ntargets && q->t >= thr_seconds(&targets[next_target]))
          break; /* it may yet answer the next target */
        if (q->answer) {
          if (npending == MAX_QUEUE) die(3, "too many frames pending", 0);
          pending[npending++] = q->t;
        }
        /* Not needed itself: decoded only as a reference (non-reference frames skipped), and only while an answer follows. */
        if (q->answer || later || onward) decode(q->pkt, q->answer, frame);
        else dropped++;
        av_packet_free(&q->pkt);
        memmove(queue, queue + 1, (size_t)(qlen - 1) * sizeof *queue);
        qlen--;
      }
      int answers_left = 0;
      for (int i = 0; i < qlen; i++) answers_left |= queue[i].answer;
      /* Done here; the next target's keyframe is reached by a seek, not by decoding the rest of this interval. */
      if (!answers_left && !onward) break;
      if (eof && qlen == 0) break;
      if (!eof) {
        int r = av_read_frame(in, pkt);
        if (r < 0) eof = 1;
        else enqueue(pkt);
      }
    }
    for (int i = 0; i < qlen; i++) av_packet_free(&queue[i].pkt);
    qlen = 0;
    drain(frame);
  }
  if (out) {
    av_write_trailer(out);
    avio_closep(&out->pb);
  }
  fprintf(stderr, "pick-frames: %" PRId64 " frames; packets: %" PRId64 " answers, %" PRId64 " others sent, %" PRId64 " dropped\n", frames_written, sent_needed, sent_other, dropped);
  return 0;
}
