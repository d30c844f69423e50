-- Empties the push request table (it lives for the connection) before staging new ids.
-- params: none
-- returns: affected
DELETE FROM push_request
