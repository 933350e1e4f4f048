# pragma version ~=0.4.3
"""
@title Class Ballot
@notice The class chooses one option (say, where to go on the class trip).
        Every account may vote exactly once, and everybody can check the count.
"""

MAX_PROPOSALS: constant(uint256) = 10

event ProposalAdded:
    index: indexed(uint256)
    title: String[32]

event Voted:
    voter: indexed(address)
    proposal: indexed(uint256)

owner: public(address)
# proposals(i) returns the title of option number i (counting from 0).
proposals: public(DynArray[String[32], MAX_PROPOSALS])
# votes(i) returns how many votes option number i has.
votes: public(HashMap[uint256, uint256])
has_voted: public(HashMap[address, bool])
total_votes: public(uint256)


@deploy
def __init__(titles: DynArray[String[32], MAX_PROPOSALS]):
    self.owner = msg.sender
    for title: String[32] in titles:
        self._add(title)


@internal
def _add(title: String[32]):
    log ProposalAdded(index=len(self.proposals), title=title)
    self.proposals.append(title)


@external
def add_proposal(title: String[32]):
    """
    @notice The teacher may add an option, but only before voting starts,
            otherwise late options would be unfair.
    """
    assert msg.sender == self.owner, "only the teacher can add proposals"
    assert self.total_votes == 0, "voting has started"
    assert len(self.proposals) < MAX_PROPOSALS, "too many proposals"
    self._add(title)


@external
def vote(proposal: uint256):
    assert not self.has_voted[msg.sender], "already voted"
    assert proposal < len(self.proposals), "no such proposal"
    self.has_voted[msg.sender] = True
    self.votes[proposal] += 1
    self.total_votes += 1
    log Voted(voter=msg.sender, proposal=proposal)


@external
@view
def proposal_count() -> uint256:
    return len(self.proposals)


@internal
@view
def _winner() -> uint256:
    assert len(self.proposals) > 0, "no proposals"
    best: uint256 = 0
    for i: uint256 in range(len(self.proposals), bound=MAX_PROPOSALS):
        if self.votes[i] > self.votes[best]:
            best = i
    return best


@external
@view
def winner() -> uint256:
    """
    @notice Number of the option with the most votes; a tie goes to the
            option that was added first.
    """
    return self._winner()


@external
@view
def winner_title() -> String[32]:
    return self.proposals[self._winner()]
