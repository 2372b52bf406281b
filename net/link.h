/* Link types and the cost of one transfer over a link: Ethernet (IEEE
 * framing, or CNNParted's own framing for number-for-number comparison),
 * with PHY active / idle / 802.3az low-power-idle energy; wireless as in
 * NeuPart eq. (24); chip-to-chip (die-to-die) lanes.  A link type is data
 * (platforms/presets/links/NAME.yaml, platforms/linkfile.h); the formulas and
 * their sources are in docs/NETWORK.md and next to the code in link.c.
 *
 * Energies are those of the sending end (its PHY, radio or transmitter);
 * time runs from the first bit sent to the last bit received. */
#ifndef PARTSIM_NET_LINK_H
#define PARTSIM_NET_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "base/error.h"

typedef enum { LINK_ETHERNET, LINK_WIRELESS, LINK_C2C } link_kind;

typedef struct {
    char name[64];
    link_kind kind;
    double rate_bps;       /* line rate (C2C: lanes * lane_rate_bps) */
    bool full_duplex;      /* each direction has the full rate (SimGrid FULLDUPLEX) */
    double latency_s;      /* fixed latency added to every transfer */
    /* Ethernet */
    double phy_active_w;   /* PHY power while transmitting */
    double phy_idle_w;     /* PHY power with the link up and nothing to send */
    double phy_lpi_w;      /* 802.3az low-power idle; 0 with eee_* 0: no EEE */
    double eee_wake_s;     /* 802.3az Tw: LPI -> active before a transfer */
    double eee_sleep_s;    /* 802.3az Ts: active -> LPI after a transfer */
    int mtu_bytes;         /* largest Ethernet payload per frame (1500) */
    /* wireless */
    double tx_power_w;     /* NeuPart's P_Tx */
    double rx_power_w;     /* receiver power while receiving (0: not counted) */
    /* chip-to-chip */
    int lanes;
    double lane_rate_bps;
    double energy_per_bit_j;
} link_type;

/* Every number in range for its kind (rates positive, powers and times not
 * negative, LPI <= idle <= active, MTU 46..9000, C2C rate = lanes *
 * lane_rate); PS_ERR_INPUT naming the link type and the field otherwise. */
int link_validate(const link_type *t, ps_error *err);

/* The type's EEE parameters are given (Tw or Ts > 0). */
bool link_has_eee(const link_type *t);

const char *link_kind_name(link_kind k);

/* Power while sending at line rate: the Ethernet PHY's active power, the
 * radio's P_tx (+ P_rx when given, NeuPart eq. (24)), or a die-to-die link's
 * energy per bit x rate.  And the power of an idle link (Ethernet PHY idle;
 * 0 for the other kinds). */
double link_active_power_w(const link_type *t);
double link_idle_power_w(const link_type *t);

typedef enum { FRAMING_IEEE, FRAMING_CNNPARTED } link_framing;

/* How a transfer is sent.  All zero is the default: IEEE framing, 0 m of
 * cable, no IP/UDP headers, no EEE, no frame rate.  framing, length_m,
 * ip_udp and eee apply to Ethernet links only (eee on another kind is an
 * error). */
typedef struct {
    link_framing framing;
    double length_m;  /* cable length: 6 ns/m propagation (CNNParted eq. (1)) */
    bool ip_udp;      /* 28 B of IPv4 + UDP headers in every frame */
    bool eee;         /* 802.3az: sleep to LPI between transfers */
    double fps;       /* transfers per second (frame rate); 0 = a lone transfer */
} link_opts;

typedef struct {
    double payload_bytes;  /* what the caller sends (after compression) */
    double wire_bytes;     /* what the link carries, framing included */
    int64_t frames;        /* Ethernet frames (0 for other kinds) */
    double time_s;         /* first bit sent -> last bit received, incl. wire delay, latency, EEE wake */
    double wire_delay_s;   /* the propagation part of time_s: 6 ns/m * length */
    double energy_j;       /* per transfer, incl. the idle share of its frame period */
    double active_energy_j;/* transmitting, and EEE wake / sleep transitions */
    double idle_energy_j;  /* idle or low-power idle in the rest of the frame period */
    double power_w;        /* energy_j / frame period (fps > 0), else energy_j / time_s */
    double utilization;    /* time_s * fps (0 without fps) */
    bool feasible;         /* utilization <= 1: the link keeps up with the frame rate */
} link_transfer;

/* Cost of sending `payload_bytes` over a link of type `t` (opts NULL =
 * defaults).  A negative payload, length or fps, EEE on a type without EEE
 * parameters or on a non-Ethernet link, and CNNParted framing at a line rate
 * CNNParted does not model (only 100 Mb/s, 1 Gb/s, 10 Gb/s) are errors. */
int link_transfer_cost(const link_type *t, const link_opts *o, double payload_bytes,
                       link_transfer *out, ps_error *err);

/* Bytes on the wire for `payload_bytes` (framing included): what SimGrid
 * must carry so that its transfer time equals the analytic one.  Assumes
 * valid arguments (as link_transfer_cost checks them). */
double link_wire_bytes(const link_type *t, const link_opts *o, double payload_bytes);

/* One hop of a route, as the simulation needs it:
 *  - its latency: the type's fixed latency + 6 ns/m of cable (CNNParted eq. (1));
 *  - the time its sender is busy putting `wire_bytes` on it at line rate, and
 *    the energy that takes (link_active_power_w x that time);
 *  - a store-and-forward switch's delay before it: one full frame at its rate. */
double link_hop_latency_s(const link_type *t, const link_opts *o);
double link_send_time_s(const link_type *t, double wire_bytes);
double link_send_energy_j(const link_type *t, double wire_bytes);
double link_saf_delay_s(const link_type *t, const link_opts *o);
/* Energy of a link's gap of `gap_s` between two bursts: idle power, or with
 * 802.3az (o->eee) and a gap longer than Ts + Tw, the transitions at active
 * power and low-power idle for the rest (added to *lpi_j; idle to *idle_j). */
void link_gap_energy(const link_type *t, const link_opts *o, double gap_s, double *idle_j,
                     double *lpi_j);

/* Bytes on the wire of one full-size Ethernet frame under the framing (what a
 * store-and-forward switch must receive before it forwards); 0 for other
 * kinds. */
double link_max_frame_wire_bytes(const link_type *t, const link_opts *o);

/* Number of Ethernet frames for a payload under the framing (0 for other kinds). */
int64_t link_frames(const link_type *t, const link_opts *o, double payload_bytes);

#endif
