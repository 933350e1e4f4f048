# pragma version ~=0.4.3
"""
@title Class Piggy Bank
@notice Students save coins for the class trip. Everyone can put money in and
        take their own savings back out. At the end of the year the teacher
        empties the piggy bank to pay for the trip.
"""

event Deposited:
    student: indexed(address)
    amount: uint256

event Withdrawn:
    student: indexed(address)
    amount: uint256

event OwnerChanged:
    previous_owner: indexed(address)
    new_owner: indexed(address)

event Swept:
    owner: indexed(address)
    amount: uint256

# The teacher (whoever deployed the contract).
owner: public(address)
# How much each student has saved.
deposits: public(HashMap[address, uint256])


@deploy
def __init__():
    self.owner = msg.sender


@external
@payable
def deposit():
    """
    @notice Put the coins you send with this call into the piggy bank.
    """
    assert msg.value > 0, "send some coins"
    self.deposits[msg.sender] += msg.value
    log Deposited(student=msg.sender, amount=msg.value)


@external
def withdraw(amount: uint256):
    """
    @notice Take back some of your own savings.
    """
    assert self.deposits[msg.sender] >= amount, "not enough saved"
    # Update the books before sending the coins.
    self.deposits[msg.sender] -= amount
    send(msg.sender, amount)
    log Withdrawn(student=msg.sender, amount=amount)


@external
def change_owner(new_owner: address):
    """
    @notice Next year a new teacher looks after the piggy bank.
    """
    # Only the teacher would ever want to call this... right?
    assert new_owner != empty(address), "no new owner"
    log OwnerChanged(previous_owner=self.owner, new_owner=new_owner)
    self.owner = new_owner


@external
def sweep():
    """
    @notice End of the year: the teacher takes all the coins for the trip.
    """
    assert msg.sender == self.owner, "only the owner"
    amount: uint256 = self.balance
    send(self.owner, amount)
    log Swept(owner=self.owner, amount=amount)
