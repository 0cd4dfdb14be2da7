/** The Raft state machine arrives with the Raft issue; see README.md. */
export {};
