/* What `train` leaves behind: its summary (the view is lib/learn/ude_train_view.c's) and
   the record `t = train …` binds (its fields lib/learn/ude_fields.c's). */
#include "../language/fields_value.h"
#include "train.h"

/* r for tc's training, its stages pointed to from stages. */
static void report_of(const nd_train_call *tc, const nd_ude_auto_result *res,
                      const nd_ude_verdict *v, const nd_ude_verdict *val,
                      const nd_ude_stage_report **stages, nd_ude_train_report *r)
{
    for (size_t i = 0; i < tc->nst; i++) stages[i] = &tc->st[i].r;
    *r = (nd_ude_train_report){tc->u, tc->net_name, tc->ndata, tc->data_name, tc->ex,
                               stages, tc->nst, res, v, tc->nval, tc->val_name, tc->val_ex, val,
                               tc->fo.nparams, tc->params, tc->param_initial};
}

nd_bundle *nd_train_summary(const nd_train_call *tc, const nd_ude_auto_result *res,
                            const nd_ude_verdict *v, const nd_ude_verdict *val)
{
    const nd_ude_stage_report *stages[ND_TRAIN_MAX_STAGES];
    nd_ude_train_report r;
    report_of(tc, res, v, val, stages, &r);
    return nd_ude_train_view(&r);
}

nd_value *nd_train_record(const nd_train_call *tc, nd_bundle *view,
                          const nd_ude_auto_result *res, const nd_ude_verdict *v,
                          const nd_ude_verdict *val)
{
    const nd_ude_stage_report *stages[ND_TRAIN_MAX_STAGES];
    nd_ude_train_report r;
    report_of(tc, res, v, val, stages, &r);
    return nd_record_of_fields(nd_ude_train_fields(&r), view);
}
