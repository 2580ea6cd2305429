/* The subscription state machine (contract §6, D3, D5): which action is allowed from which
 * status and under which package rule (one transition table), and what each action or each
 * scheduled transition does to a subscription in memory. Pure: no I/O; time is passed in. */
#ifndef MOCK3AS_SUBMACHINE_H
#define MOCK3AS_SUBMACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/events_db.h"
#include "store/packages_db.h"
#include "store/subscriptions_db.h"

/* Statuses (FOR_EACH_SUB_STATUS) and event kinds (FOR_EACH_SUB_EVENT) are the store's
 * vocabulary: store/subscriptions_db.h, store/events_db.h. */

#define FOR_EACH_SUB_ACTION(X)                                                                     \
    X(ACT_UPGRADE, "upgrade")                                                                      \
    X(ACT_DOWNGRADE, "downgrade")                                                                  \
    X(ACT_CANCEL, "cancel")                                                                        \
    X(ACT_RESUME, "resume")                                                                        \
    X(ACT_DEACTIVATE, "deactivate")                                                                \
    X(ACT_REACTIVATE, "reactivate")

#define SUB_ACTION_ENUM(id, text) id,
enum sub_action { ACT_NONE = -1, FOR_EACH_SUB_ACTION(SUB_ACTION_ENUM) ACT__COUNT };
#undef SUB_ACTION_ENUM

/* The text of action `a` ("upgrade"), and the action called `name` (ACT_NONE when unknown). */
const char *sub_action_name(enum sub_action a);
enum sub_action sub_action_parse(const char *name);

/* What the table says about an action. */
enum sub_verdict {
    VERDICT_OK,
    VERDICT_RULE,    /* a rule of D3 is broken: 500 in "observed", 400 in "intended" */
    VERDICT_INVALID, /* not possible from this status (or the same-package downgrade in
                        "intended"): 400 */
};

struct sub_decision {
    enum sub_verdict verdict;
    enum sub_status to; /* on VERDICT_OK */
    char reason[160];   /* for the error message */
};

/* Decide `action` on a subscription in status `from` whose package has `current_tp`
 * touchpoints, towards a package with `target_tp` (ignored by actions without a package);
 * `same_package` when the target is the current package; `intended` selects the D3 profile.
 * Touchpoints -1 (the unlimited trial) rank below every package. */
struct sub_decision sub_decide(enum sub_status from, enum sub_action action, int64_t current_tp,
                               int64_t target_tp, bool same_package, bool intended);

/* Fold `next` into `ev` when both are the same repeating transition (renewal or stp_reset) of
 * one catch-up: ev then stands for one more period. Returns whether it was folded. */
bool sub_event_fold(struct sub_event *ev, const struct sub_event *next);

/* ---- actions (already allowed by sub_decide) ----
 * Each sets the status the transition table names for {its status, the action}: the table's
 * `to` column is the only place a new status comes from. */

/* Upgrade (`action` ACT_UPGRADE or ACT_REACTIVATE): `target` now, a new period from `now`, the
 * plan and any cancellation cleared. With `trial`, a trial of `trial_days` first (the paid
 * period starts when it ends). `old` is the current package, for the proration when `prorate`. */
void sub_upgrade(struct subscription *s, enum sub_action action, const struct package *old,
                 const struct package *target, int64_t now, bool trial, int trial_days,
                 bool prorate, struct sub_event *ev);

/* Downgrade: `target` planned for the end of the period; active again if it was canceled. */
void sub_downgrade(struct subscription *s, const struct package *target, int64_t now,
                   struct sub_event *ev);

/* Cancel: canceled, `free_pkg` planned for the end of the period; dates unchanged. */
void sub_cancel(struct subscription *s, const struct package *free_pkg, int64_t now,
                struct sub_event *ev);

/* Resume: active, plan cleared, dates unchanged. Deactivate: inactive. */
void sub_resume(struct subscription *s, int64_t now, struct sub_event *ev);
void sub_deactivate(struct subscription *s, int64_t now, struct sub_event *ev);

/* ---- the clock ---- */

/* The packages a scheduled transition may need, loaded by the caller by the ids in `s`. */
struct sub_packages {
    const struct package *current;
    const struct package *planned;  /* s->planned_package_id, or NULL */
    const struct package *fallback; /* s->trial_fallback_id, or NULL */
};

/* Apply the earliest transition of `s` due at or before `now` (trial end, period end with its
 * renewal / planned downgrade / fall to Free, monthly touchpoint reset). Returns true and fills
 * *ev when one was applied (usage must then be reset when ev->action says so: see
 * sub_event_resets_usage), false when nothing is due. Call again until false; reload `pk` when
 * the package changed. */
bool sub_step(struct subscription *s, const struct sub_packages *pk, int64_t now,
              struct sub_event *ev);

/* The same as calling sub_step() until it would apply something else, in one call whose cost
 * does not grow with the periods passed: a run of renewals of an active monthly plan with no
 * planned change (each also the touchpoint reset), or a run of monthly touchpoint resets inside
 * a yearly period. Fills *ev with the run as one folded event (periods, until) and returns true
 * when the run holds two or more; false (nothing changed) otherwise. */
bool sub_skip(struct subscription *s, const struct package *current, int64_t now,
              struct sub_event *ev);

/* Whether the event starts a new touchpoint period (consumption back to zero). */
bool sub_event_resets_usage(const struct sub_event *ev);

/* The kind of event action `a` records. */
enum sub_event_kind sub_action_event(enum sub_action a);

#endif
