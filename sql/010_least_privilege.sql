-- Board scores no longer live in the audit log (see assess()): remove the
-- copies written before, which moderators and admins could read.
UPDATE audit_log SET detail = detail - 'scores'
    WHERE action = 'board.assess';
