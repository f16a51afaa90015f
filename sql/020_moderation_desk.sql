-- The moderation desk (issue 16): every decision is kept as one row with
-- the state each of its items had before, so that the moderator can take
-- it back for a short while (moderation_undo()) exactly as it was: state,
-- reason, explanation, publication time and the flags it resolved.

CREATE TABLE moderation_decisions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	actor_id	bigint REFERENCES accounts(id) ON DELETE SET NULL,
	kind		text NOT NULL CHECK (kind IN ('idea', 'comment',
			    'defect', 'defect_message')),
	decision	text NOT NULL,
	reason		text REFERENCES moderation_reasons(slug),
	explanation	text,
	decided_at	timestamptz NOT NULL DEFAULT now(),
	-- The last audit entry the decision wrote: a later entry on one of
	-- its items is someone else's decision, and undo is refused.
	audit_id	bigint,
	undone_at	timestamptz,
	undone_by	bigint REFERENCES accounts(id) ON DELETE SET NULL
);
CREATE INDEX moderation_decisions_recent ON moderation_decisions
	(decided_at DESC, id DESC);

CREATE TABLE moderation_decision_items (
	decision_id	bigint NOT NULL REFERENCES moderation_decisions(id)
			    ON DELETE CASCADE,
	target_id	bigint NOT NULL,
	-- The row's moderation columns before the decision, as jsonb.
	before		jsonb NOT NULL,
	after_state	text NOT NULL,
	flag_ids	bigint[] NOT NULL DEFAULT '{}',
	PRIMARY KEY (decision_id, target_id)
);

-- Flags on published items below the threshold are listed by the desk.
CREATE INDEX flags_open_created ON flags (kind, created_at)
	WHERE resolved_at IS NULL;
