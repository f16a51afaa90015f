-- Comments come in pages.  A popular idea gathers hundreds of comments,
-- and a moderator also sees every pending one: rendering them all made
-- the idea's page take 600 ms and megabytes under the 2,800 comments a
-- make scan leaves on one idea.  A page is 50 top-level comments (each
-- with its replies), oldest first, after a comment id; the idea carries
-- its first page, GET /api/v1/ideas/{id}/comments the others
-- (sql/functions/comment_page.sql, idea_json.sql).

-- A comment's replies were found by scanning the idea's comments once
-- per comment.
CREATE INDEX comments_parent ON comments (parent_id, id)
	WHERE parent_id IS NOT NULL;
