/* Link transfer model.  Each kind's formulas cite their source; the
 * derivations and the presets' numbers are in docs/NETWORK.md. */
#include "net/link.h"

#include <math.h>
#include <stdio.h>

/* Ethernet frame overheads, IEEE 802.3 Clause 3 (MAC frame) and Clause 4
 * (interpacket gap): preamble 7 B + SFD 1 B; destination + source address
 * 6 + 6 B, length/type 2 B, FCS 4 B; minimum MAC client data 46 B (so that a
 * frame is 64 B from address to FCS); interpacket gap 96 bit times = 12 B. */
enum {
    ETH_PREAMBLE_SFD = 8,
    ETH_HEADER_FCS = 18,
    ETH_MIN_PAYLOAD = 46,
    ETH_GAP = 12,
    IPV4_UDP_HEADERS = 28 /* RFC 791 IPv4 header without options 20 B + RFC 768 UDP 8 B */
};

/* CNNParted's tool: 26 B per frame (8 + 18, no gap), payloads of 1500 B. */
enum { CNNPARTED_FRAME_OVERHEAD = 26, CNNPARTED_MTU = 1500 };

/* Signal propagation in copper twisted pair, ~6 ns/m (CNNParted Sec. III-B). */
#define WIRE_DELAY_S_PER_M 6e-9

const char *link_kind_name(link_kind k)
{
    switch (k) {
    case LINK_ETHERNET: return "ethernet";
    case LINK_WIRELESS: return "wireless";
    case LINK_C2C: return "c2c";
    }
    return "?";
}

bool link_has_eee(const link_type *t)
{
    return t->kind == LINK_ETHERNET && (t->eee_wake_s > 0 || t->eee_sleep_s > 0);
}

static int bad(ps_error *err, const link_type *t, const char *field, double v, const char *want)
{
    return error_set(err, PS_ERR_INPUT, "link type '%s': %s = %g, expected %s", t->name, field,
                     v, want);
}

static bool nonneg(double v) { return v >= 0 && isfinite(v); }

int link_validate(const link_type *t, ps_error *err)
{
    if (!t->name[0])
        return error_set(err, PS_ERR_INPUT, "a link type has no name");
    if (!(t->rate_bps > 0 && isfinite(t->rate_bps)))
        return bad(err, t, "rate", t->rate_bps, "a positive bit rate such as '1 Gbps'");
    if (!nonneg(t->latency_s))
        return bad(err, t, "latency", t->latency_s, "a time >= 0");
    switch (t->kind) {
    case LINK_ETHERNET: {
        const struct {
            const char *name;
            double v;
        } F[] = {{"phy_active", t->phy_active_w}, {"phy_idle", t->phy_idle_w},
                 {"phy_lpi", t->phy_lpi_w},       {"eee_wake", t->eee_wake_s},
                 {"eee_sleep", t->eee_sleep_s}};
        for (size_t i = 0; i < sizeof F / sizeof F[0]; i++)
            if (!nonneg(F[i].v))
                return bad(err, t, F[i].name, F[i].v, "a value >= 0");
        if (t->phy_idle_w > t->phy_active_w)
            return bad(err, t, "phy_idle", t->phy_idle_w, "at most phy_active");
        if (t->phy_lpi_w > t->phy_idle_w)
            return bad(err, t, "phy_lpi", t->phy_lpi_w, "at most phy_idle");
        if (t->mtu_bytes < ETH_MIN_PAYLOAD || t->mtu_bytes > 9216)
            return bad(err, t, "mtu", t->mtu_bytes, "46 B to 9216 B (jumbo frames)");
        break;
    }
    case LINK_WIRELESS:
        if (!nonneg(t->tx_power_w))
            return bad(err, t, "tx_power", t->tx_power_w, "a power >= 0");
        if (!nonneg(t->rx_power_w))
            return bad(err, t, "rx_power", t->rx_power_w, "a power >= 0");
        break;
    case LINK_C2C:
        if (t->lanes < 1)
            return bad(err, t, "lanes", t->lanes, "at least 1");
        if (!(t->lane_rate_bps > 0 && isfinite(t->lane_rate_bps)))
            return bad(err, t, "lane_rate", t->lane_rate_bps, "a positive bit rate");
        if (fabs(t->rate_bps - t->lanes * t->lane_rate_bps) > 1e-9 * t->rate_bps)
            return bad(err, t, "rate", t->rate_bps, "lanes * lane_rate");
        if (!nonneg(t->energy_per_bit_j))
            return bad(err, t, "energy_per_bit", t->energy_per_bit_j, "an energy >= 0");
        break;
    default:
        return error_set(err, PS_ERR_INPUT, "link type '%s': unknown kind %d", t->name,
                         (int)t->kind);
    }
    return 0;
}

static link_framing framing_of(const link_opts *o) { return o ? o->framing : FRAMING_IEEE; }

/* A payload on Ethernet is whole bytes: a fractional (compressed, averaged)
 * size is rounded up. */
static double whole_bytes(double payload_bytes) { return ceil(payload_bytes); }

int64_t link_frames(const link_type *t, const link_opts *o, double payload_bytes)
{
    if (t->kind != LINK_ETHERNET)
        return 0;
    double s = whole_bytes(payload_bytes);
    if (framing_of(o) == FRAMING_CNNPARTED)
        return (int64_t)ceil(s / CNNPARTED_MTU);
    int per_frame = t->mtu_bytes - (o && o->ip_udp ? IPV4_UDP_HEADERS : 0);
    /* an empty message still takes one (minimum-size) frame */
    return s <= 0 ? 1 : (int64_t)ceil(s / per_frame);
}

double link_wire_bytes(const link_type *t, const link_opts *o, double payload_bytes)
{
    if (t->kind != LINK_ETHERNET)
        return payload_bytes;
    double s = whole_bytes(payload_bytes);
    int64_t frames = link_frames(t, o, payload_bytes);
    if (framing_of(o) == FRAMING_CNNPARTED)
        /* CNNParted's tool: N = max(S, 46) + ceil(S / 1500) * 26 (one 46 B
         * minimum for the whole transfer, no interpacket gap); the paper's
         * eq. (1) writes it per frame as N_hdr + N_stf + max(N_data, N_min) */
        return fmax(s, ETH_MIN_PAYLOAD) + (double)frames * CNNPARTED_FRAME_OVERHEAD;
    /* IEEE 802.3: every frame is preamble + SFD, header + FCS, its payload
     * (IP/UDP headers included) padded to 46 B, then the interpacket gap. */
    int h = o && o->ip_udp ? IPV4_UDP_HEADERS : 0;
    int per_frame = t->mtu_bytes - h;
    const double overhead = ETH_PREAMBLE_SFD + ETH_HEADER_FCS + ETH_GAP;
    double full = (double)(frames - 1);
    double last = s - full * per_frame;
    return full * (overhead + t->mtu_bytes) + overhead + fmax(last + h, ETH_MIN_PAYLOAD);
}

double link_max_frame_wire_bytes(const link_type *t, const link_opts *o)
{
    if (t->kind != LINK_ETHERNET)
        return 0;
    if (framing_of(o) == FRAMING_CNNPARTED)
        return CNNPARTED_MTU + CNNPARTED_FRAME_OVERHEAD;
    return ETH_PREAMBLE_SFD + ETH_HEADER_FCS + ETH_GAP + t->mtu_bytes;
}

/* CNNParted's constant PHY power by line rate ("typical values for PHY
 * devices", CNNParted Sec. III-B, ref. [24]): 100BASE-TX 200 mW, 1000BASE-T
 * 600 mW, 10GBASE-T 4 W. */
static int cnnparted_phy_power(const link_type *t, double *out_w, ps_error *err)
{
    static const struct {
        double rate_bps, power_w;
    } P[] = {{100e6, 0.2}, {1e9, 0.6}, {10e9, 4.0}};
    for (size_t i = 0; i < sizeof P / sizeof P[0]; i++)
        if (fabs(t->rate_bps - P[i].rate_bps) <= 1e-9 * P[i].rate_bps) {
            *out_w = P[i].power_w;
            return 0;
        }
    return error_set(err, PS_ERR_UNSUPPORTED, "link type '%s': CNNParted framing models "
                     "100 Mb/s, 1 Gb/s and 10 Gb/s Ethernet only, not %g b/s (use the "
                     "IEEE framing)", t->name, t->rate_bps);
}

/* Ethernet with IEEE framing: PHY energy per transfer and frame period.
 * Without EEE the PHY is active while it transmits and idle (link up,
 * sending idle symbols) the rest of the period.  With 802.3az EEE it wakes
 * for Tw before the transfer and goes to sleep for Ts after it, both at
 * active power (the transitions' power as in Reviriego et al., IEEE Comm.
 * Letters 13(9), 2009), and spends the rest of the period in low-power idle;
 * the wake time delays the transfer.  When the period leaves less than
 * Tw + Ts beside the transfer, the PHY never sleeps: it stays idle (not LPI)
 * as without EEE, and no wake time is added. */
static void ethernet_ieee_energy(const link_type *t, const link_opts *o, double t_send,
                                 link_transfer *x)
{
    double period = o && o->fps > 0 ? 1.0 / o->fps : 0;
    double transitions = t->eee_wake_s + t->eee_sleep_s;
    bool sleeps = o && o->eee && (period == 0 || period - t_send >= transitions);
    if (sleeps) {
        x->active_energy_j = t->phy_active_w * (t->eee_wake_s + t_send + t->eee_sleep_s);
        x->idle_energy_j = period > 0 ? t->phy_lpi_w * (period - t_send - transitions) : 0;
        x->time_s += t->eee_wake_s;
    } else {
        x->active_energy_j = t->phy_active_w * t_send;
        x->idle_energy_j = period > t_send ? t->phy_idle_w * (period - t_send) : 0;
    }
}

static int check_opts(const link_type *t, const link_opts *o, double payload_bytes,
                      ps_error *err)
{
    if (!(payload_bytes >= 0 && isfinite(payload_bytes)))
        return error_set(err, PS_ERR_INPUT, "link '%s': payload of %g bytes (expected >= 0)",
                         t->name, payload_bytes);
    if (!o)
        return 0;
    if (!(o->length_m >= 0 && isfinite(o->length_m)))
        return error_set(err, PS_ERR_INPUT, "link '%s': cable length %g m (expected >= 0)",
                         t->name, o->length_m);
    if (!(o->fps >= 0 && isfinite(o->fps)))
        return error_set(err, PS_ERR_INPUT, "link '%s': frame rate %g fps (expected >= 0; "
                         "0 = none)", t->name, o->fps);
    if (o->eee && t->kind != LINK_ETHERNET)
        return error_set(err, PS_ERR_UNSUPPORTED, "link '%s': EEE (802.3az) applies to "
                         "Ethernet links, this one is %s", t->name, link_kind_name(t->kind));
    if (o->eee && o->framing == FRAMING_CNNPARTED)
        return error_set(err, PS_ERR_UNSUPPORTED, "link '%s': CNNParted framing has no EEE "
                         "(its PHY power is charged only while sending)", t->name);
    if (o->eee && !link_has_eee(t))
        return error_set(err, PS_ERR_UNSUPPORTED, "link type '%s' has no EEE parameters "
                         "(eee_wake, eee_sleep, phy_lpi)", t->name);
    return 0;
}

int link_transfer_cost(const link_type *t, const link_opts *o, double payload_bytes,
                       link_transfer *out, ps_error *err)
{
    if (check_opts(t, o, payload_bytes, err))
        return err->code;
    link_transfer x = {0};
    x.payload_bytes = payload_bytes;
    x.wire_bytes = link_wire_bytes(t, o, payload_bytes);
    x.frames = link_frames(t, o, payload_bytes);
    double bits = x.wire_bytes * 8.0;
    switch (t->kind) {
    case LINK_ETHERNET: {
        /* CNNParted eq. (1): T_link = N / B + T_wire, T_wire = 6 ns/m * l */
        double t_send = bits / t->rate_bps;
        x.wire_delay_s = WIRE_DELAY_S_PER_M * (o ? o->length_m : 0);
        x.time_s = t_send + x.wire_delay_s + t->latency_s;
        if (framing_of(o) == FRAMING_CNNPARTED) {
            /* CNNParted: constant PHY power charged over T_link only */
            double p = 0;
            if (cnnparted_phy_power(t, &p, err))
                return err->code;
            x.active_energy_j = p * x.time_s;
        } else {
            ethernet_ieee_energy(t, o, t_send, &x);
        }
        break;
    }
    case LINK_WIRELESS:
        /* NeuPart eq. (24): E_Trans = P_Tx * D_RLC / B; t_Trans = D_RLC / B
         * (Sec. VI), plus the type's fixed latency.  A receiver power, when
         * given, is charged over the same time. */
        x.time_s = bits / t->rate_bps + t->latency_s;
        x.active_energy_j = (t->tx_power_w + t->rx_power_w) * bits / t->rate_bps;
        break;
    case LINK_C2C: {
        /* die-to-die link: lanes in parallel, energy per bit moved */
        double rate = t->lanes * t->lane_rate_bps;
        x.time_s = bits / rate + t->latency_s;
        x.active_energy_j = t->energy_per_bit_j * bits;
        break;
    }
    }
    x.energy_j = x.active_energy_j + x.idle_energy_j;
    double fps = o ? o->fps : 0;
    x.utilization = x.time_s * fps;
    x.feasible = x.utilization <= 1.0;
    x.power_w = fps > 0 ? x.energy_j * fps : x.time_s > 0 ? x.energy_j / x.time_s : 0;
    *out = x;
    return 0;
}

double link_active_power_w(const link_type *t)
{
    switch (t->kind) {
    case LINK_ETHERNET: return t->phy_active_w;
    case LINK_WIRELESS: return t->tx_power_w + t->rx_power_w; /* NeuPart eq. (24) */
    case LINK_C2C: return t->energy_per_bit_j * t->rate_bps;
    }
    return 0;
}

double link_idle_power_w(const link_type *t)
{
    return t->kind == LINK_ETHERNET ? t->phy_idle_w : 0.0;
}

double link_hop_latency_s(const link_type *t, const link_opts *o)
{
    return t->latency_s + WIRE_DELAY_S_PER_M * (o ? o->length_m : 0); /* CNNParted eq. (1) */
}

double link_send_time_s(const link_type *t, double wire_bytes)
{
    return wire_bytes * 8.0 / t->rate_bps;
}

double link_send_energy_j(const link_type *t, double wire_bytes)
{
    return link_send_time_s(t, wire_bytes) * link_active_power_w(t);
}

double link_saf_delay_s(const link_type *t, const link_opts *o)
{
    return link_send_time_s(t, link_max_frame_wire_bytes(t, o));
}

void link_gap_energy(const link_type *t, const link_opts *o, double gap_s, double *idle_j,
                     double *lpi_j)
{
    if (!(gap_s > 0))
        return;
    double transitions = t->eee_sleep_s + t->eee_wake_s;
    if (o && o->eee && gap_s > transitions) /* 802.3az: sleep Ts, LPI, wake Tw */
        *lpi_j += transitions * t->phy_active_w + (gap_s - transitions) * t->phy_lpi_w;
    else
        *idle_j += gap_s * link_idle_power_w(t);
}
