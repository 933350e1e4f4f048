# pragma version ~=0.4.3
"""
@title Quiz Token
@notice Points the teacher gives for good quiz answers. It behaves like a tiny
        ERC-20 token: anyone can see balances and send their own points to a
        classmate, but only the teacher can create new points.
"""

# Every movement of points is announced with this event. Wallets and
# block explorers read these logs to show a history of transfers.
# A reward is logged as a transfer *from* the zero address (new points).
event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    amount: uint256

name: public(String[32])
symbol: public(String[8])
# Quiz points are whole numbers, so no fractional part.
decimals: public(constant(uint8)) = 0
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
# The account that deployed the contract: the teacher.
owner: public(address)


@deploy
def __init__(_name: String[32], _symbol: String[8]):
    self.name = _name
    self.symbol = _symbol
    self.owner = msg.sender


@external
def reward(student: address, amount: uint256):
    """
    @notice The teacher creates `amount` new points for `student`.
    """
    assert msg.sender == self.owner, "only the teacher can reward"
    assert student != empty(address), "no student address"
    self.totalSupply += amount
    self.balanceOf[student] += amount
    log Transfer(sender=empty(address), receiver=student, amount=amount)


@external
def transfer(receiver: address, amount: uint256) -> bool:
    """
    @notice Send some of your own points to a classmate.
    """
    assert receiver != empty(address), "no receiver address"
    assert self.balanceOf[msg.sender] >= amount, "not enough points"
    self.balanceOf[msg.sender] -= amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=msg.sender, receiver=receiver, amount=amount)
    return True
