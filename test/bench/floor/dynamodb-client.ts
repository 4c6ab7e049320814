// The DynamoDB client and document client alone, as every function builds them at cold start.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: process.env.AWS_REGION }));
export const handler = async () => doc.send(new GetCommand({ TableName: 'accord', Key: { PK: 'x', SK: 'x' } }));
